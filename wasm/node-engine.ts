// The engine in Node (tests, benchmarks, command-line tools): the same build and loader the worker uses,
// read from public/engine/ (run `node wasm/build-engine.mjs` first; npm install does).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEngineInstance, loadEngine, type CompiledEngine, type EngineHooks, type EngineInstance } from './engine-loader.js';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const engineDirectory = join(repositoryRoot, 'public', 'engine');

export async function loadEngineFromDisk(): Promise<CompiledEngine> {
  const wasmPath = join(engineDirectory, 'cura-engine.wasm');
  const gluePath = join(engineDirectory, 'cura-engine.glue.js');
  if (!existsSync(wasmPath) || !existsSync(gluePath)) {
    throw new Error('The engine is not built: run `node wasm/build-engine.mjs` (npm install runs it).');
  }
  return loadEngine(readFileSync(wasmPath), pathToFileURL(gluePath));
}

export function nodeEngineFactory(compiled: CompiledEngine): (hooks: EngineHooks) => Promise<EngineInstance> {
  return (hooks) => createEngineInstance(compiled, hooks);
}

/** Definitions straight from the `cura-wasm-definitions` package (the packaged copies are built from it). */
export function packageDefinitionLoader(): (lowerCaseId: string) => Promise<string | undefined> {
  const directory = join(repositoryRoot, 'node_modules', 'cura-wasm-definitions', 'src', 'definitions');
  return async (id) => {
    if (!/^[a-z0-9_.+-]+$/.test(id)) return undefined;
    const path = join(directory, `${id}.def.json`);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
}
