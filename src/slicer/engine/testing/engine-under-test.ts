// An engine for tests together with the definitions it was made for: CuraEngine 5.13 (public/engine/)
// with the built Cura 5.13 catalog (public/definitions/), or the fallback cura-wasm engine with its own
// package definitions (setting_version 16). Settings always come from the same definitions the engine gets.
import { createEngineInstance, type CompiledEngine, type EngineHooks, type EngineInstance } from '../../../../wasm/engine-loader.js';
import { loadEngineFromDisk, loadFallbackEngine, packageDefinitionLoader } from '../../../../wasm/node-engine.js';
import { NodeDefinitionSource } from '../../settings/node-definition-source.js';
import type { DefinitionSource } from '../../settings/definition-files.js';
import type { EngineSettings } from '../../slice-api.js';
import type { DefinitionLoader } from '../definition-chain.js';
import { definitionLoaderFrom } from '../definition-loader.js';
import { PackageDefinitionSource } from './package-definition-source.js';
import { resolvedSettingsForTest } from './resolved-settings.js';

export interface EngineUnderTest {
  compiled: CompiledEngine;
  loadDefinition: DefinitionLoader;
  settingsFor(machine: string, changes: Record<string, number | string | boolean>): Promise<EngineSettings>;
  createEngine(hooks: EngineHooks, maxHeapBytes?: number): Promise<EngineInstance>;
}

function pair(compiled: CompiledEngine, source: DefinitionSource, loadDefinition: DefinitionLoader): EngineUnderTest {
  return {
    compiled,
    loadDefinition,
    settingsFor: (machine, changes) => resolvedSettingsForTest(machine, changes, source),
    createEngine: (hooks, maxHeapBytes) => createEngineInstance(compiled, maxHeapBytes === undefined ? hooks : { ...hooks, maxHeapBytes }),
  };
}

/** The app's engine (public/engine/) with the definitions of its generation. */
export async function mainEngineUnderTest(): Promise<EngineUnderTest> {
  const compiled = await loadEngineFromDisk();
  if (compiled.description.kind === 'curaengine-5') {
    const source = new NodeDefinitionSource();
    return pair(compiled, source, definitionLoaderFrom(source));
  }
  return pair(compiled, new PackageDefinitionSource(), packageDefinitionLoader());
}

/** The fallback engine (CuraEngine of December 2020 from cura-wasm), built on demand, with its own definitions. */
export async function fallbackEngineUnderTest(): Promise<EngineUnderTest> {
  return pair(await loadFallbackEngine(), new PackageDefinitionSource(), packageDefinitionLoader());
}
