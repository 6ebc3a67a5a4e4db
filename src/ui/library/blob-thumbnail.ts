// What the Library's pictures have in common: a square showing an image Blob (through an object URL
// released when replaced or when the element leaves the page), "…" while it loads and a plain label
// when there is none. Each kind of file says only where its picture comes from.
import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';

export abstract class BlobThumbnail extends LitElement {
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

  /** Set by the list when the record already carries a picture, to save a storage read. */
  @property({ attribute: false }) thumbnail: Blob | undefined;
  @state() private url: string | null = null;
  /** No picture could be found or made: the label stays. */
  @state() protected missing = false;
  private shownFor: Blob | undefined;

  /** The property naming the file whose picture this is; a change reloads. */
  protected abstract readonly sourceProperty: string;
  /** Shown when there is no picture. */
  protected abstract readonly missingLabel: string;
  /** Finds (or makes) the picture and calls `show`, or sets `missing`. */
  protected abstract load(): Promise<void>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.shownFor = undefined;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    // Shown for another file before: its picture must not stay while this one's is looked for.
    if (changed.has(this.sourceProperty) && changed.get(this.sourceProperty) !== undefined) {
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = null;
      this.shownFor = undefined;
      this.missing = false;
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has(this.sourceProperty) || changed.has('thumbnail') || (!this.url && !this.missing)) void this.load();
  }

  protected show(blob: Blob): void {
    if (blob === this.shownFor) return;
    if (this.url) URL.revokeObjectURL(this.url);
    this.shownFor = blob;
    this.url = URL.createObjectURL(blob);
    this.missing = false;
  }

  override render() {
    if (this.url) return html`<img src=${this.url} alt="" data-thumbnail="ready" />`;
    return html`<span>${this.missing ? this.missingLabel : '…'}</span>`;
  }
}
