// The Library: every model and G-code file Sliceport keeps, with size and date; add files with the
// picker or by dropping them, delete them. Reacts to writes from other tabs and workers (a sliced file
// saved by Prepare, files opened from the operating system).
//
// Route params: `highlight=<id>,<id>` marks files just added (files opened with Sliceport).

import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { appStorage } from '../../app/app-storage.js';
import { importLibraryFiles, type LibraryImport } from '../../storage/library-import.js';
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
  @state() private notes: { text: string; error: boolean }[] = [];
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
      this.notes = [{ text: toStorageError(error, 'list library').message, error: true }];
    } finally {
      this.loaded = true;
    }
  }

  private showImport(results: LibraryImport[]): void {
    if (results.length === 0) return;
    const added = results.filter((r) => r.ok);
    const notes = results.flatMap((r) => (r.ok ? [] : [{ text: r.error.message, error: true }]));
    if (added.length > 0) {
      const names = added.map((r) => r.name).join(', ');
      notes.unshift({ text: `Added ${names}.`, error: false });
    }
    this.notes = notes;
    this.justAdded = new Set(added.map((r) => (r.ok ? r.id : '')));
  }

  private async onFiles(event: CustomEvent<LibraryFilesDetail>): Promise<void> {
    this.busy = true;
    try {
      const storage = await appStorage();
      const results = await importLibraryFiles(
        storage,
        event.detail.files.map((file) => ({ name: file.name, blob: file })),
      );
      this.showImport(results);
      if (results.some((r) => r.ok)) void requestPersistentStorage();
    } catch (error) {
      this.notes = [{ text: toStorageError(error, 'add files').message, error: true }];
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
      this.notes = [{ text: `Renamed ${entry.name} to ${name}.`, error: false }];
    } catch (error) {
      this.notes = [{ text: toStorageError(error, `rename ${entry.name}`).message, error: true }];
    }
    await this.reload();
  }

  private async onDelete(event: CustomEvent<LibraryDeleteDetail>): Promise<void> {
    const { entry } = event.detail;
    try {
      const storage = await appStorage();
      if (entry.kind === 'model') await storage.models.delete(entry.id);
      else await storage.gcode.delete(entry.id);
      this.notes = [{ text: `Deleted ${entry.name}.`, error: false }];
    } catch (error) {
      this.notes = [{ text: toStorageError(error, `delete ${entry.name}`).message, error: true }];
    }
    await this.reload();
  }

  override render() {
    const highlighted = this.highlighted;
    return html`
      <div class="layout" @library-files=${this.onFiles} @library-delete=${this.onDelete} @library-rename=${this.onRename}>
        <div class="head">
          <h2>Library</h2>
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
          ${this.notes.map((note) => html`<p class=${note.error ? 'error' : 'notice'}>${note.text}</p>`)}
        </div>
        <sp-library-gcode-preview .params=${this.params}></sp-library-gcode-preview>
        ${this.loaded
          ? html`
              <section aria-labelledby="models-heading">
                <h3 id="models-heading">Models (${this.models.length})</h3>
                <sp-library-list
                  label="Models"
                  .entries=${this.matching(this.models)}
                  .highlighted=${highlighted}
                  emptyText="No models yet. Add .stl, .obj or .3mf files."
                ></sp-library-list>
              </section>
              <section aria-labelledby="gcode-heading">
                <h3 id="gcode-heading">G-code (${this.gcode.length})</h3>
                <sp-library-list
                  label="G-code files"
                  .entries=${this.matching(this.gcode)}
                  .highlighted=${highlighted}
                  emptyText="No G-code yet. Slice a model in Prepare, or add .gcode files."
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
