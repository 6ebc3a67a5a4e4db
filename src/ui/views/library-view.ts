// The Library: every model and G-code file Sliceport keeps, with size and date; add files with the
// picker or by dropping them, delete them. Reacts to writes from other tabs and workers (a sliced file
// saved by Prepare, files opened from the operating system).
//
// Route params: `highlight=<id>,<id>` marks files just added (files opened with Sliceport).

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { appStorage } from '../../app/app-storage.js';
import type { LibraryDuplicate } from '../../storage/library-duplicates.js';
import { importLibraryFile, importLibraryFiles, type LibraryFile, type LibraryImport } from '../../storage/library-import.js';
import { onStorageChange } from '../../storage/storage-changes.js';
import { toStorageError } from '../../storage/storage-error.js';
import { requestPersistentStorage } from '../../storage/storage-quota.js';
import { controlStyles } from '../control-styles.js';
import { importReport } from '../library/import-report.js';
import type { LibraryFilesDetail } from '../library/library-add.js';
import type { LibraryDeleteDetail, LibraryEntry, LibraryRenameDetail } from '../library/library-list.js';
import '../library/library-add.js';
import '../library/library-list.js';
import '../library/library-gcode-preview.js';
import '../storage-meter.js';

interface LibraryNote {
  text: string;
  error: boolean;
  /** A file the Library already holds, with what to do about it. */
  duplicate?: { file: LibraryFile; existing: LibraryDuplicate };
}

/** Messages shown before the rest fold away behind "Show … more". */
const SHOWN_NOTES = 3;

@customElement('sp-library-view')
export class LibraryView extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .layout {
        display: grid;
        gap: 20px;
      }
      section {
        display: grid;
        gap: 10px;
      }
      .messages {
        display: grid;
        gap: 6px;
      }
      .messages p {
        margin: 0;
      }
      .note {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: 8px;
      }
      .note p {
        flex: 1 1 auto;
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      .duplicate-actions {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin-top: 6px;
        white-space: normal;
      }
      .note button.dismiss {
        min-height: 28px;
        padding: 2px 10px;
        flex: none;
      }
      .messages-more {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 12px;
        align-items: center;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) params: Readonly<Record<string, string>> = {};
  @property({ attribute: false }) active = false;
  @state() private models: LibraryEntry[] = [];
  @state() private gcode: LibraryEntry[] = [];
  @state() private loaded = false;
  @state() private busy = false;
  @state() private notes: LibraryNote[] = [];
  /** Whether every message is shown, or only the first few. */
  @state() private allNotes = false;
  @state() private justAdded = new Set<string>();
  @state() private search = '';
  private stopListening: (() => void) | undefined;
  private readonly onReport = () => this.showImport(importReport.take());

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopListening = onStorageChange((change) => {
      if (change.store === 'models' || change.store === 'gcode') void this.reload();
    });
    importReport.addEventListener('change', this.onReport);
    this.onReport();
    void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
    importReport.removeEventListener('change', this.onReport);
  }

  private setNotes(notes: LibraryNote[]): void {
    this.notes = notes;
    this.allNotes = false;
  }

  private dismissNote(note: LibraryNote): void {
    this.notes = this.notes.filter((n) => n !== note);
  }

  private renderNotes() {
    const shown = this.allNotes ? this.notes : this.notes.slice(0, SHOWN_NOTES);
    const hidden = this.notes.length - shown.length;
    return html`${shown.map(
        (note) => html`<div class="note ${note.error ? 'error' : 'notice'}">
          <p>
            ${note.text}
            ${note.duplicate
              ? html`<span class="duplicate-actions">
                  <button @click=${() => void this.useExisting(note, note.duplicate!.existing)}>Use the one in the Library</button>
                  <button @click=${() => void this.addCopy(note, note.duplicate!.file)}>Add a copy anyway</button>
                </span>`
              : nothing}
          </p>
          <button class="dismiss" aria-label="Dismiss this message" title="Dismiss" @click=${() => this.dismissNote(note)}>✕</button>
        </div>`,
      )}
      ${this.notes.length > 1
        ? html`<div class="messages-more">
            ${hidden > 0
              ? html`<button @click=${() => (this.allNotes = true)}>Show ${hidden} more ${hidden === 1 ? 'message' : 'messages'}</button>`
              : nothing}
            <button @click=${() => this.setNotes([])}>Dismiss all</button>
          </div>`
        : nothing}`;
  }

  /** The list's text when it shows nothing: an empty library, or a search that matches nothing. */
  private emptyText(total: number, what: string, empty: string): string {
    const search = this.search.trim();
    return total > 0 && search ? `No ${what} match “${search}”.` : empty;
  }

  override updated(changed: Map<string, unknown>): void {
    // Preview opens above the lists: bring it to where the user is when a row's "Preview" opens it.
    if (changed.has('params')) {
      const before = changed.get('params') as Readonly<Record<string, string>> | undefined;
      const opened = 'preview' in this.params && (!before || before.preview !== this.params.preview);
      if (opened && this.active) {
        const panel = this.renderRoot.querySelector('sp-library-gcode-preview');
        panel?.scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
        void panel?.updateComplete.then(() => panel.focusHeading());
      }
    }
  }

  private get highlighted(): ReadonlySet<string> {
    const fromRoute = (this.params.highlight ?? '').split(',').filter(Boolean);
    return new Set([...fromRoute, ...this.justAdded]);
  }

  async reload(): Promise<void> {
    try {
      const storage = await appStorage();
      const [models, gcode] = await Promise.all([storage.models.list(), storage.gcode.list()]);
      this.models = models.map((m) => ({ id: m.id, name: m.name, size: m.size, addedAt: m.addedAt, kind: 'model', thumbnail: m.thumbnail }));
      this.gcode = gcode.map((g) => ({ id: g.id, name: g.name, size: g.size, addedAt: g.addedAt, kind: 'gcode', thumbnail: g.thumbnail }));
    } catch (error) {
      this.setNotes([{ text: toStorageError(error, 'list library').message, error: true }]);
    } finally {
      this.loaded = true;
    }
  }

  /** `files` are the files behind `results`, in the same order, when the view has them. */
  private showImport(results: LibraryImport[], files: readonly LibraryFile[] = []): void {
    if (results.length === 0) return;
    const added = results.filter((r) => r.ok);
    const notes: LibraryNote[] = results.flatMap((r, i): LibraryNote[] => {
      if (r.ok) return [];
      const file = files[i];
      if (r.duplicate && file) return [{ text: r.error.message, error: false, duplicate: { file, existing: r.duplicate } }];
      return [{ text: r.error.message, error: !r.duplicate }];
    });
    if (added.length > 0) {
      const names = added.map((r) => r.name).join(', ');
      notes.unshift({ text: `Added ${names}.`, error: false });
    }
    this.setNotes(notes);
    this.justAdded = new Set(added.map((r) => (r.ok ? r.id : '')));
  }

  private async onFiles(event: CustomEvent<LibraryFilesDetail>): Promise<void> {
    this.busy = true;
    try {
      const storage = await appStorage();
      const files = event.detail.files.map((file) => ({ name: file.name, blob: file }));
      const results = await importLibraryFiles(storage, files);
      this.showImport(results, files);
      if (results.some((r) => r.ok)) void requestPersistentStorage();
    } catch (error) {
      this.setNotes([{ text: toStorageError(error, 'add files').message, error: true }]);
    } finally {
      this.busy = false;
      await this.reload();
    }
  }

  /** "Use the one in the Library": point at the entry already there. */
  private async useExisting(note: LibraryNote, existing: LibraryDuplicate): Promise<void> {
    this.dismissNote(note);
    this.search = '';
    this.justAdded = new Set([existing.id]);
    await this.updateComplete;
    const list = this.renderRoot.querySelector<HTMLElement>(`sp-library-list[label="${existing.kind === 'model' ? 'Models' : 'G-code files'}"]`);
    await (list as (HTMLElement & { updateComplete?: Promise<unknown> }) | null)?.updateComplete;
    list?.shadowRoot?.querySelector(`li[data-id="${CSS.escape(existing.id)}"]`)?.scrollIntoView({ block: 'center' });
  }

  /** "Add a copy anyway": store the file although the Library holds the same bytes. */
  private async addCopy(note: LibraryNote, file: LibraryFile): Promise<void> {
    this.dismissNote(note);
    this.busy = true;
    try {
      const result = await importLibraryFile(await appStorage(), file, { allowDuplicate: true });
      const rest = this.notes;
      this.showImport([result], [file]);
      this.notes = [...this.notes, ...rest];
    } catch (error) {
      this.setNotes([{ text: toStorageError(error, 'add files').message, error: true }]);
    } finally {
      this.busy = false;
      await this.reload();
    }
  }

  private matching(entries: LibraryEntry[]): LibraryEntry[] {
    const words = this.search.toLowerCase().split(/\s+/).filter(Boolean);
    return words.length ? entries.filter((entry) => words.every((word) => entry.name.toLowerCase().includes(word))) : entries;
  }

  private async onRename(event: CustomEvent<LibraryRenameDetail>): Promise<void> {
    const { entry, name } = event.detail;
    try {
      const storage = await appStorage();
      if (entry.kind === 'model') await storage.models.update(entry.id, { name });
      else await storage.gcode.update(entry.id, { name });
      this.setNotes([{ text: `Renamed ${entry.name} to ${name}.`, error: false }]);
    } catch (error) {
      this.setNotes([{ text: toStorageError(error, `rename ${entry.name}`).message, error: true }]);
    }
    await this.reload();
  }

  private async onDelete(event: CustomEvent<LibraryDeleteDetail>): Promise<void> {
    const { entry } = event.detail;
    try {
      const storage = await appStorage();
      if (entry.kind === 'model') await storage.models.delete(entry.id);
      else await storage.gcode.delete(entry.id);
      this.setNotes([{ text: `Deleted ${entry.name}.`, error: false }]);
    } catch (error) {
      this.setNotes([{ text: toStorageError(error, `delete ${entry.name}`).message, error: true }]);
    }
    await this.reload();
  }

  override render() {
    const highlighted = this.highlighted;
    return html`
      <div class="layout" @library-files=${this.onFiles} @library-delete=${this.onDelete} @library-rename=${this.onRename}>
        <div class="head">
          <h1>Library</h1>
          <sp-storage-meter></sp-storage-meter>
        </div>
        <sp-library-add ?busy=${this.busy}></sp-library-add>
        <input
          type="search"
          class="search"
          placeholder="Search by name"
          aria-label="Search the library by name"
          .value=${this.search}
          @input=${(event: Event) => (this.search = (event.target as HTMLInputElement).value)}
        />
        <div class="messages" role="status" aria-live="polite">
          ${this.renderNotes()}
        </div>
        <sp-library-gcode-preview .params=${this.params}></sp-library-gcode-preview>
        ${this.loaded
          ? html`
              <section aria-labelledby="models-heading">
                <h2 id="models-heading">Models (${this.models.length})</h2>
                <sp-library-list
                  label="Models"
                  .entries=${this.matching(this.models)}
                  .highlighted=${highlighted}
                  emptyText=${this.emptyText(this.models.length, 'models', 'No models yet. Add .stl, .obj or .3mf files.')}
                ></sp-library-list>
              </section>
              <section aria-labelledby="gcode-heading">
                <h2 id="gcode-heading">G-code (${this.gcode.length})</h2>
                <sp-library-list
                  label="G-code files"
                  .entries=${this.matching(this.gcode)}
                  .highlighted=${highlighted}
                  emptyText=${this.emptyText(this.gcode.length, 'G-code files', 'No G-code yet. Slice a model in Prepare, or add .gcode files.')}
                ></sp-library-list>
              </section>
            `
          : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-library-view': LibraryView;
  }
}
