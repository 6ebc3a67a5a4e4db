// Definitions fetched from the app's own origin (`/definitions/`, precached by the service worker): the
// catalog says which bundle holds an id; each bundle is fetched once, when a machine first needs it.
import { DefinitionNotFoundError, type DefinitionBundle, type DefinitionFile, type DefinitionSource, type MachineCatalog } from './definition-files.js';

export class FetchDefinitionSource implements DefinitionSource {
  readonly #base: string;
  readonly #bundles = new Map<string, Promise<DefinitionBundle>>();
  #catalog: Promise<MachineCatalog> | null = null;

  /** `base` is the URL of the definitions folder, ending with a slash. */
  constructor(base: string) {
    this.#base = base;
  }

  async load(id: string): Promise<DefinitionFile> {
    const key = id.toLowerCase();
    const catalog = await this.catalog();
    const bundleName = Object.prototype.hasOwnProperty.call(catalog.bundles, key) ? catalog.bundles[key] : undefined;
    if (!bundleName) throw new DefinitionNotFoundError(id);
    let bundle = this.#bundles.get(bundleName);
    if (!bundle) {
      bundle = this.#fetchJson<DefinitionBundle>(`${bundleName}.json`).catch((error: unknown) => {
        this.#bundles.delete(bundleName);
        throw new DefinitionNotFoundError(id, `its bundle ${bundleName}.json could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
      });
      this.#bundles.set(bundleName, bundle);
    }
    const file = (await bundle).definitions[key];
    if (!file) throw new DefinitionNotFoundError(id, `${bundleName}.json does not hold it`);
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
    if (!response.ok) throw new Error(`Could not load ${name}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
}
