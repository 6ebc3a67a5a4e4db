// The page's side of the model worker. One worker for the page, started on first use. A worker that dies
// (out of memory on a huge file) is replaced, and the call reports a plain error instead of hanging.
import * as Comlink from 'comlink';
import type { ModelWorkerApi, ThumbnailOutcome } from './model-api.js';
import type { ImportOutcome } from './model-types.js';

let worker: Worker | null = null;
let remote: Comlink.Remote<ModelWorkerApi> | null = null;
let crashed: ((reason: string) => void)[] = [];

function connect(): Comlink.Remote<ModelWorkerApi> {
  if (remote) return remote;
  worker = new Worker(new URL('../../workers/model.worker.ts', import.meta.url), { type: 'module', name: 'model' });
  worker.addEventListener('error', (event) => {
    const reason = event.message || 'the model reader stopped';
    for (const fail of crashed) fail(reason);
    crashed = [];
    worker?.terminate();
    worker = null;
    remote = null;
  });
  remote = Comlink.wrap<ModelWorkerApi>(worker);
  return remote;
}

async function guarded<T>(call: (api: Comlink.Remote<ModelWorkerApi>) => Promise<T>, onCrash: (reason: string) => T): Promise<T> {
  const api = connect();
  return new Promise<T>((resolve) => {
    const fail = (reason: string) => resolve(onCrash(reason));
    crashed.push(fail);
    call(api).then(
      (value) => resolve(value),
      (error: unknown) => resolve(onCrash(error instanceof Error ? error.message : String(error))),
    ).finally(() => {
      crashed = crashed.filter((entry) => entry !== fail);
    });
  });
}

const crashOutcome = (reason: string): ImportOutcome => ({
  ok: false,
  error: { code: 'internal', message: 'Reading this model failed; it may be too big for this computer.', detail: reason },
});

export function importModelFile(file: Blob, fileName: string): Promise<ImportOutcome> {
  return guarded((api) => api.importFile(file, fileName), crashOutcome);
}

export function importModelBytes(bytes: ArrayBuffer, fileName: string): Promise<ImportOutcome> {
  return guarded((api) => api.importBytes(Comlink.transfer(bytes, [bytes]), fileName), crashOutcome);
}

export function renderModelThumbnailOffscreen(file: Blob, fileName: string, sizePx = 160): Promise<ThumbnailOutcome> {
  return guarded<ThumbnailOutcome>(
    (api) => api.renderThumbnail(file, fileName, sizePx),
    (reason) => ({ ok: false, message: `No picture could be drawn (${reason}).` }),
  );
}
