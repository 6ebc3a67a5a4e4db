// Definitions read from the built catalog on disk (public/definitions/, written by
// wasm/build-definitions.mjs), for Node: tests, the command-line tools, benchmarks. The same bundles the
// browser fetches, so Node and the app resolve settings from the same files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionNotFoundError, type DefinitionBundle, type DefinitionFile, type DefinitionSource, type MachineCatalog } from './definition-files.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The built definitions folder: public/definitions/ of the repository. */
export function builtDefinitionsDir(root = repoRoot): string {
  const dir = join(root, 'public', 'definitions');
  if (!existsSync(join(dir, 'catalog.json'))) {
    throw new Error('The printer definitions are not built: run `node wasm/build-definitions.mjs` (npm install runs it).');
  }
  return dir;
}

export class NodeDefinitionSource implements DefinitionSource {
  readonly #dir: string;
  readonly #bundles = new Map<string, DefinitionBundle>();
  #catalog: MachineCatalog | null = null;

  constructor(dir = builtDefinitionsDir()) {
    this.#dir = dir;
  }

  catalogSync(): MachineCatalog {
    this.#catalog ??= JSON.parse(readFileSync(join(this.#dir, 'catalog.json'), 'utf8')) as MachineCatalog;
    return this.#catalog;
  }

  loadSync(id: string): DefinitionFile {
    const key = id.toLowerCase();
    const bundles = this.catalogSync().bundles;
    const name = Object.prototype.hasOwnProperty.call(bundles, key) ? bundles[key] : undefined;
    if (!name) throw new DefinitionNotFoundError(id);
    let bundle = this.#bundles.get(name);
    if (!bundle) {
      bundle = JSON.parse(readFileSync(join(this.#dir, `${name}.json`), 'utf8')) as DefinitionBundle;
      this.#bundles.set(name, bundle);
    }
    const file = bundle.definitions[key];
    if (!file) throw new DefinitionNotFoundError(id, `${name}.json does not hold it`);
    return file;
  }

  async load(id: string): Promise<DefinitionFile> {
    return this.loadSync(id);
  }

  async catalog(): Promise<MachineCatalog> {
    return this.catalogSync();
  }
}
