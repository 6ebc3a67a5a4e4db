// One list of library files (models or G-code): name, size, date, and what can be done with each.
// Deleting asks for a second click on the same row, so a slip of the mouse loses nothing.

import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { routeHref } from '../../app/hash-router.js';
import { formatByteSize, formatDateTime } from '../byte-size.js';
import { controlStyles } from '../control-styles.js';
import './gcode-thumbnail.js';
import './model-thumbnail.js';

export interface LibraryEntry {
  id: string;
  name: string;
  size: number;
  addedAt: number;
  kind: 'model' | 'gcode';
  /** Stored picture, when one has been made (models) or found in the file (G-code). */
  thumbnail?: Blob;
}

export interface LibraryRenameDetail {
  entry: LibraryEntry;
  name: string;
}

export interface LibraryDeleteDetail {
  entry: LibraryEntry;
}

@customElement('sp-library-list')
export class LibraryList extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: center;
        gap: 4px 12px;
        padding: 10px 12px;
        border: 1px solid var(--sp-border);
        border-radius: var(--sp-radius);
        background: var(--sp-surface);
      }
      li.highlight {
        border-color: var(--sp-accent);
        box-shadow: 0 0 0 2px var(--sp-accent);
      }
      .name {
        display: flex;
        align-items: center;
        gap: 10px;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .facts {
        font-size: 0.875rem;
        color: var(--sp-muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        justify-content: flex-end;
        grid-row: span 2;
      }
      .empty {
        color: var(--sp-muted);
        margin: 0;
      }
      @media (max-width: 520px) {
        li {
          grid-template-columns: 1fr;
        }
        .actions {
          grid-row: auto;
          justify-content: flex-start;
        }
      }
    `,
  ];

  @property({ attribute: false }) entries: LibraryEntry[] = [];
  @property({ attribute: false }) highlighted: ReadonlySet<string> = new Set();
  @property() emptyText = 'Nothing here yet.';
  @property() label = 'Files';
  @state() private confirming: string | undefined;
  @state() private renaming: string | undefined;

  private submitRename(entry: LibraryEntry, event: Event): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = input.value.trim();
    this.renaming = undefined;
    if (!name || name === entry.name) return;
    this.dispatchEvent(
      new CustomEvent<LibraryRenameDetail>('library-rename', { detail: { entry, name }, bubbles: true, composed: true }),
    );
  }

  private requestDelete(entry: LibraryEntry): void {
    this.confirming = undefined;
    this.dispatchEvent(
      new CustomEvent<LibraryDeleteDetail>('library-delete', { detail: { entry }, bubbles: true, composed: true }),
    );
  }

  private renderActions(entry: LibraryEntry) {
    if (this.confirming === entry.id) {
      return html`
        <button class="danger" @click=${() => this.requestDelete(entry)} aria-label="Confirm: delete ${entry.name}">
          Delete for good
        </button>
        <button @click=${() => (this.confirming = undefined)} aria-label="Keep ${entry.name}">Keep</button>
      `;
    }
    return html`
      ${entry.kind === 'gcode'
        ? html`<a class="button" href=${routeHref('library', { preview: entry.id })} aria-label="Preview ${entry.name}">Preview</a>
            <a class="button" href=${routeHref('printer', { gcode: entry.id })} aria-label="Print ${entry.name}">Print</a>`
        : html`<a class="button" href=${routeHref('prepare', { addModel: entry.id })} aria-label="Add ${entry.name} to the plate">Add to plate</a>`}
      <button @click=${() => (this.renaming = entry.id)} aria-label="Rename ${entry.name}">Rename</button>
      <button @click=${() => (this.confirming = entry.id)} aria-label="Delete ${entry.name}">Delete</button>
    `;
  }

  override render() {
    if (this.entries.length === 0) return html`<p class="empty">${this.emptyText}</p>`;
    return html`<ul aria-label=${this.label}>
      ${repeat(
        this.entries,
        (entry) => entry.id,
        (entry) => html`<li class=${this.highlighted.has(entry.id) ? 'highlight' : ''} data-id=${entry.id}>
          <span class="name"
            >${entry.kind === 'model'
              ? html`<sp-model-thumbnail model-id=${entry.id} .thumbnail=${entry.thumbnail}></sp-model-thumbnail>`
              : html`<sp-gcode-thumbnail gcode-id=${entry.id} .thumbnail=${entry.thumbnail}></sp-gcode-thumbnail>`}
            ${this.renaming === entry.id
              ? html`<form class="rename" @submit=${(event: Event) => this.submitRename(entry, event)}>
                  <input name="name" .value=${entry.name} aria-label="New name for ${entry.name}" required />
                  <button type="submit">Save</button>
                  <button type="button" @click=${() => (this.renaming = undefined)}>Cancel</button>
                </form>`
              : entry.name}</span
          >
          <span class="actions">${this.renderActions(entry)}</span>
          <span class="facts">${formatByteSize(entry.size)} · added ${formatDateTime(entry.addedAt)}</span>
        </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-library-list': LibraryList;
  }
}
