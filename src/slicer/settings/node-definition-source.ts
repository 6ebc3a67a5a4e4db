// Definitions read from the cura-wasm-definitions package, for Node (tests, the CLI, benchmarks).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../../../wasm/definitions-catalog.mjs';
import { definitionFileName, DefinitionNotFoundError, type DefinitionFile, type DefinitionSource, type MachineCatalog } from './definition-files.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The package's definition folder: `src/definitions` (the JSON files) in cura-wasm-definitions. */
export function packagedDefinitionsDir(root = repoRoot): string {
  const candidates = ['src/definitions', 'dist/definitions'].map((sub) => join(root, 'node_modules/cura-wasm-definitions', sub));
  const found = candidates.find((dir) => existsSync(join(dir, 'fdmprinter.def.json')));
  if (!found) throw new Error('cura-wasm-definitions is not installed: run npm install.');
  return found;
}

export class NodeDefinitionSource implements DefinitionSource {
  readonly #dir: string;
  readonly #files = new Map<string, DefinitionFile>();
  #catalog: MachineCatalog | null = null;

  constructor(dir = packagedDefinitionsDir()) {
    this.#dir = dir;
  }

  loadSync(id: string): DefinitionFile {
    const key = id.toLowerCase();
    let file = this.#files.get(key);
    if (!file) {
      const path = join(this.#dir, definitionFileName(id));
      if (!existsSync(path)) throw new DefinitionNotFoundError(id);
      file = JSON.parse(readFileSync(path, 'utf8')) as DefinitionFile;
      this.#files.set(key, file);
    }
    return file;
  }

  async load(id: string): Promise<DefinitionFile> {
    return this.loadSync(id);
  }

  async catalog(): Promise<MachineCatalog> {
    this.#catalog ??= buildCatalog(this.#dir) as MachineCatalog;
    return this.#catalog;
  }
}
