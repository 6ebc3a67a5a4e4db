// The page's side of the model worker, through the shared worker bridge. One worker for the page, started
// on first use and stopped after a while without work (a parsed model's memory goes with it). A worker
// that dies (out of memory on a huge file) fails the call with a plain error instead of hanging, and the
// next call starts a fresh one.
import * as Comlink from 'comlink';
import { WorkerBridge, isWorkerCallAborted, isWorkerCrashed } from '../worker-bridge/worker-bridge.js';
import type { ModelWorkerApi, ThumbnailOutcome } from './model-api.js';
import type { ImportOutcome } from './model-types.js';

/** Imports come in bursts (a folder dropped, a library refreshed); a minute covers one. */
const IDLE_STOP_MS = 60_000;

const bridge = new WorkerBridge<ModelWorkerApi>({
  name: 'model',
  create: () => new Worker(new URL('../../workers/model.worker.ts', import.meta.url), { type: 'module', name: 'model' }),
  idle: { kind: 'stop-after', ms: IDLE_STOP_MS },
});

async function guarded<T>(call: (api: Comlink.Remote<ModelWorkerApi>) => Promise<T>, onCrash: (reason: string) => T, signal?: AbortSignal): Promise<T> {
  try {
    return await bridge.call(call, signal ? { signal } : {});
  } catch (error) {
    if (isWorkerCrashed(error)) return onCrash(error.detail);
    if (isWorkerCallAborted(error)) return onCrash('cancelled');
    return onCrash(error instanceof Error ? error.message : String(error));
  }
}

const crashOutcome = (reason: string): ImportOutcome => ({
  ok: false,
  error: { code: 'internal', message: 'Reading this model failed; it may be too big for this computer.', detail: reason },
});

export function importModelFile(file: Blob, fileName: string, signal?: AbortSignal): Promise<ImportOutcome> {
  return guarded((api) => api.importFile(file, fileName), crashOutcome, signal);
}

export function importModelBytes(bytes: ArrayBuffer, fileName: string, signal?: AbortSignal): Promise<ImportOutcome> {
  return guarded((api) => api.importBytes(Comlink.transfer(bytes, [bytes]), fileName), crashOutcome, signal);
}

export function renderModelThumbnailOffscreen(file: Blob, fileName: string, sizePx = 160, signal?: AbortSignal): Promise<ThumbnailOutcome> {
  return guarded<ThumbnailOutcome>(
    (api) => api.renderThumbnail(file, fileName, sizePx),
    (reason) => ({ ok: false, message: `No picture could be drawn (${reason}).` }),
    signal,
  );
}
