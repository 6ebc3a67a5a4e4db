// The fallback engine's own definitions (setting_version 16), straight from the `cura-wasm-definitions`
// package, behind the same DefinitionSource the resolver uses: tests and the benchmark resolve settings
// for the 2020 engine from the definitions it was made for. Ids are matched case-insensitively (the
// package lower-cased its file names but not every id that refers to them).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefinitionNotFoundError, type DefinitionFile, type DefinitionSource, type MachineCatalog } from '../../settings/definition-files.js';
import { repositoryRoot } from '../../../../wasm/node-engine.js';

export const packageDefinitionsDirectory = join(repositoryRoot, 'node_modules', 'cura-wasm-definitions', 'src', 'definitions');

export class PackageDefinitionSource implements DefinitionSource {
  async load(id: string): Promise<DefinitionFile> {
    const key = id.toLowerCase();
    if (!/^[a-z0-9_.+-]+$/.test(key)) throw new DefinitionNotFoundError(id);
    const path = join(packageDefinitionsDirectory, `${key}.def.json`);
    if (!existsSync(path)) throw new DefinitionNotFoundError(id);
    return JSON.parse(readFileSync(path, 'utf8')) as DefinitionFile;
  }

  async catalog(): Promise<MachineCatalog> {
    throw new Error('the cura-wasm-definitions package has no catalog; load machines by id');
  }
}
