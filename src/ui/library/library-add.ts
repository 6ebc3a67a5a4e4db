// "Add files": a real button that opens the file picker, and a drop target for files dragged in.
// Emits `library-files` with the chosen files; storing them is the Library view's job.

import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LIBRARY_ACCEPT } from '../../storage/library-import.js';
import { controlStyles } from '../control-styles.js';

export interface LibraryFilesDetail {
  files: File[];
}

@customElement('sp-library-add')
export class LibraryAdd extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .drop {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        padding: 14px;
        border: 2px dashed var(--sp-border);
        border-radius: var(--sp-radius);
      }
      .drop.over {
        border-color: var(--sp-accent);
        background: var(--sp-surface-2);
      }
      p {
        margin: 0;
      }
    `,
  ];

  @property({ type: Boolean }) busy = false;
  @state() private over = false;
  @query('input') private input!: HTMLInputElement;

  private emit(files: File[]): void {
    if (files.length === 0) return;
    this.dispatchEvent(new CustomEvent<LibraryFilesDetail>('library-files', { detail: { files }, bubbles: true, composed: true }));
  }

  private onPicked(): void {
    this.emit([...(this.input.files ?? [])]);
    this.input.value = '';
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.over = false;
    this.emit([...(event.dataTransfer?.files ?? [])]);
  }

  override render() {
    return html`
      <div
        class="drop ${this.over ? 'over' : ''}"
        @dragover=${(event: DragEvent) => {
          event.preventDefault();
          this.over = true;
        }}
        @dragleave=${() => (this.over = false)}
        @drop=${this.onDrop}
      >
        <button class="primary" ?disabled=${this.busy} @click=${() => this.input.click()}>
          ${this.busy ? 'Adding…' : 'Add files…'}
        </button>
        <p class="muted">or drop files here: models (.stl, .obj, .3mf) and G-code (.gcode, .gco, .g)</p>
        <input
          type="file"
          multiple
          accept=${LIBRARY_ACCEPT}
          hidden
          aria-label="Add models or G-code files to the library"
          data-testid="library-file-input"
          @change=${this.onPicked}
        />
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-library-add': LibraryAdd;
  }
}
