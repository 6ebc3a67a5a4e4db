// Definitions fetched from the app's own origin (`/definitions/`, precached by the service worker).
import { definitionFileName, DefinitionNotFoundError, type DefinitionFile, type DefinitionSource, type MachineCatalog } from './definition-files.js';

export class FetchDefinitionSource implements DefinitionSource {
  readonly #base: string;
  readonly #files = new Map<string, Promise<DefinitionFile>>();
  #catalog: Promise<MachineCatalog> | null = null;

  /** `base` is the URL of the definitions folder, ending with a slash. */
  constructor(base: string) {
    this.#base = base;
  }

  load(id: string): Promise<DefinitionFile> {
    const key = id.toLowerCase();
    let file = this.#files.get(key);
    if (!file) {
      file = this.#fetchJson<DefinitionFile>(definitionFileName(id)).catch((error: unknown) => {
        this.#files.delete(key);
        throw error instanceof DefinitionNotFoundError ? error : new DefinitionNotFoundError(id, String(error));
      });
      this.#files.set(key, file);
    }
    return file;
  }

  catalog(): Promise<MachineCatalog> {
    this.#catalog ??= this.#fetchJson<MachineCatalog>('catalog.json').catch((error: unknown) => {
      this.#catalog = null;
      throw error;
    });
    return this.#catalog;
  }

  async #fetchJson<T>(name: string): Promise<T> {
    const response = await fetch(new URL(name, this.#base));
    if (response.status === 404) throw new DefinitionNotFoundError(name.replace(/\.def\.json$/, ''));
    if (!response.ok) throw new Error(`Could not load ${name}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
}
