// <sp-model-thumbnail>: a library model's picture. Uses the stored PNG; when there is none yet (a model
// added from the Library or opened with Sliceport), renders one off-screen in the model worker and keeps it.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { appStorage } from '../../app/app-storage.js';
import { storeThumbnail } from '../plate/plate-import.js';

/** Models whose picture is being made, so two lists showing one model render it once. */
const rendering = new Map<string, Promise<boolean>>();

@customElement('sp-model-thumbnail')
export class ModelThumbnail extends LitElement {
  static override styles = css`
    :host {
      display: inline-grid;
      place-items: center;
      width: var(--thumbnail-size, 64px);
      height: var(--thumbnail-size, 64px);
      border-radius: 6px;
      background: var(--sp-surface-2, #eee);
      overflow: hidden;
      flex: none;
    }
    img {
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    span {
      font-size: 0.7rem;
      color: var(--sp-muted, #666);
    }
  `;

  @property({ attribute: 'model-id' }) modelId = '';
  /** Set by the list when the record already carries a picture, to save a storage read. */
  @property({ attribute: false }) thumbnail: Blob | undefined;
  @state() private url: string | null = null;
  @state() private failed = false;
  private shownFor: Blob | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.shownFor = undefined;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('modelId') || changed.has('thumbnail') || (!this.url && !this.failed)) void this.load();
  }

  private show(blob: Blob): void {
    if (blob === this.shownFor) return;
    if (this.url) URL.revokeObjectURL(this.url);
    this.shownFor = blob;
    this.url = URL.createObjectURL(blob);
  }

  private async load(): Promise<void> {
    if (!this.modelId) return;
    if (this.thumbnail) return this.show(this.thumbnail);
    const id = this.modelId;
    try {
      const storage = await appStorage();
      const summary = await storage.models.getSummary(id);
      if (summary?.thumbnail) return this.show(summary.thumbnail);
      let job = rendering.get(id);
      if (!job) {
        job = storage.models.get(id).then((record) => (record ? storeThumbnail(id, new Blob([record.bytes]), record.name) : false));
        rendering.set(id, job);
        void job.finally(() => rendering.delete(id));
      }
      const made = await job;
      const after = made ? await storage.models.getSummary(id) : undefined;
      if (after?.thumbnail && this.modelId === id) this.show(after.thumbnail);
      else this.failed = true;
    } catch {
      this.failed = true;
    }
  }

  override render() {
    if (this.url) return html`<img src=${this.url} alt="" data-thumbnail="ready" />`;
    return html`<span>${this.failed ? 'No picture' : '…'}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-model-thumbnail': ModelThumbnail;
  }
}
