// The engine in Node (tests, benchmarks, command-line tools): the same build and loader the worker uses,
// read from public/engine/ (run `node wasm/build-engine.mjs` first; npm install does), or the fallback
// engine (the cura-wasm build) made on demand into the cache.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildFallbackEngine } from './build-engine.mjs';
import { createEngineInstance, loadEngine, type CompiledEngine, type EngineHooks, type EngineInstance } from './engine-loader.js';
import { cacheDirectory } from './upstream-sources.mjs';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const engineDirectory = join(repositoryRoot, 'public', 'engine');

/** engine.json of a built engine folder, or null. */
export function readEngineManifest(directory = engineDirectory): Record<string, unknown> | null {
  const path = join(directory, 'engine.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Whether the folder holds CuraEngine 5.13 built from source (not the fallback). */
export function isSourceBuiltEngine(directory = engineDirectory): boolean {
  const manifest = readEngineManifest(directory);
  return manifest?.kind === 'curaengine-5' && manifest.builtFromSource === true;
}

export async function loadEngineFromDisk(directory = engineDirectory): Promise<CompiledEngine> {
  const wasmPath = join(directory, 'cura-engine.wasm');
  const gluePath = join(directory, 'cura-engine.glue.js');
  if (!existsSync(wasmPath) || !existsSync(gluePath)) {
    throw new Error(`The engine is not built in ${directory}: run \`node wasm/build-engine.mjs\` (npm install runs it).`);
  }
  // The wasm goes to the loader as bytes: the glue never fetches anything itself.
  return loadEngine(readFileSync(wasmPath), pathToFileURL(gluePath), readEngineManifest(directory));
}

/** The folder the fallback engine is built into on demand (outside the repository). */
export const fallbackEngineDirectory = join(cacheDirectory(), 'engine-fallback');

/** The fallback engine (CuraEngine of December 2020 from cura-wasm), built on demand. */
export async function loadFallbackEngine(): Promise<CompiledEngine> {
  buildFallbackEngine(fallbackEngineDirectory, () => undefined);
  return loadEngineFromDisk(fallbackEngineDirectory);
}

export function nodeEngineFactory(compiled: CompiledEngine): (hooks: EngineHooks) => Promise<EngineInstance> {
  return (hooks) => createEngineInstance(compiled, hooks);
}

/** Definitions straight from the `cura-wasm-definitions` package (setting_version 16: the fallback engine's). */
export function packageDefinitionLoader(): (lowerCaseId: string) => Promise<string | undefined> {
  const directory = join(repositoryRoot, 'node_modules', 'cura-wasm-definitions', 'src', 'definitions');
  return async (id) => {
    if (!/^[a-z0-9_.+-]+$/.test(id)) return undefined;
    const path = join(directory, `${id}.def.json`);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
}
