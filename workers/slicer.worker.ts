// The slicer worker: CuraEngine (WebAssembly) behind Comlink. Compiles the engine once and makes a fresh
// instance per slice; the page cancels a slice by terminating this worker.
import * as Comlink from 'comlink';
import { createEngineInstance, loadEngine, type CompiledEngine } from '../wasm/engine-loader.js';
import { describeCatalog } from '../src/slicer/engine/catalog-provenance.js';
import { runSliceJob } from '../src/slicer/engine/slice-job.js';
import { definitionLoaderFrom } from '../src/slicer/engine/definition-loader.js';
import { FetchDefinitionSource } from '../src/slicer/settings/fetch-definition-source.js';
import type { SliceOutcome, SliceProgress, SliceRequest } from '../src/slicer/slice-api.js';
import type { SlicerWorkerApi } from '../src/slicer/slicer-worker-api.js';

const base = new URL(import.meta.env.BASE_URL, self.location.origin);
const definitionSource = new FetchDefinitionSource(new URL('definitions/', base).href);
const definitions = definitionLoaderFrom(definitionSource);

let compiled: Promise<CompiledEngine> | null = null;
let catalogName: Promise<string | undefined> | null = null;

/** engine.json names the engine and its dialect; without it the loader assumes the older build. */
async function engineDescription(): Promise<unknown> {
  try {
    const response = await fetch(new URL('engine/engine.json', base));
    return response.ok ? ((await response.json()) as unknown) : null;
  } catch {
    return null;
  }
}

function engine(): Promise<CompiledEngine> {
  compiled ??= engineDescription()
    .then((description) =>
      loadEngine(fetch(new URL('engine/cura-engine.wasm', base)), new URL('engine/cura-engine.glue.js', base), description),
    )
    .catch((error: unknown) => {
      compiled = null;
      throw error;
    });
  return compiled;
}

function catalog(): Promise<string | undefined> {
  catalogName ??= definitionSource.catalog().then(describeCatalog, () => undefined);
  return catalogName;
}

/** Progress goes out at most every 100 ms (and on every change of stage): enough for a smooth bar. */
function throttled(send: (progress: SliceProgress) => void): (progress: SliceProgress) => void {
  let lastSent = 0;
  let lastStage = '';
  return (progress) => {
    const now = performance.now();
    if (progress.stage !== lastStage || now - lastSent >= 100 || progress.fraction >= 1) {
      lastSent = now;
      lastStage = progress.stage;
      void send(progress);
    }
  };
}

const api: SlicerWorkerApi = {
  async warmUp() {
    await Promise.all([engine(), definitions('fdmprinter'), definitions('fdmextruder')]);
  },

  async slice(request: SliceRequest, onProgress: (progress: SliceProgress) => void): Promise<SliceOutcome> {
    const progress = throttled(onProgress);
    let compiledEngine: CompiledEngine;
    try {
      compiledEngine = await engine();
    } catch (error) {
      return {
        ok: false,
        error: { code: 'engine-failure', message: 'The slicing engine could not be loaded.', detail: String(error) },
      };
    }
    const catalogDescription = await catalog();
    const outcome = await runSliceJob(request, {
      createEngine: (hooks) => createEngineInstance(compiledEngine, hooks),
      loadDefinition: definitions,
      onProgress: progress,
      ...(catalogDescription ? { catalog: catalogDescription } : {}),
    });
    return outcome.ok ? Comlink.transfer(outcome, [outcome.result.gcode]) : outcome;
  },
};

Comlink.expose(api);
