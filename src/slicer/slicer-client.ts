// The page's side of the slicer worker, through the shared worker bridge. A slice cannot be interrupted
// inside the engine, so cancelling terminates the worker; the bridge then starts a fresh one and warms it
// up at once, so the next slice does not wait for the engine to compile. Errors always come back as plain
// messages.
import * as Comlink from 'comlink';
import { WorkerBridge, isWorkerCallAborted, isWorkerCrashed, type WorkerLike } from '../worker-bridge/worker-bridge.js';
import type { SliceOutcome, SliceProgress, SliceRequest } from './slice-api.js';
import type { SlicerWorkerApi } from './slicer-worker-api.js';

export type WorkerFactory = () => WorkerLike;

export interface SliceOptions {
  signal?: AbortSignal;
  onProgress?(progress: SliceProgress): void;
}

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../../workers/slicer.worker.ts', import.meta.url), { type: 'module', name: 'slicer' });

export class SlicerClient {
  readonly #bridge: WorkerBridge<SlicerWorkerApi>;
  #busy = false;

  constructor(createWorker: WorkerFactory = defaultFactory) {
    // The compiled engine is the worker's whole value: it stays until the page goes.
    this.#bridge = new WorkerBridge<SlicerWorkerApi>({
      name: 'slicer',
      create: createWorker,
      idle: { kind: 'keep' },
      keepSpare: true,
      onStart: (api) => api.warmUp(),
    });
  }

  /**
   * Starts the worker and compiles the engine in the background. Settles when it is warm; never
   * rejects (a failed warm-up is retried by the next slice, which reports the error).
   */
  warmUp(): Promise<void> {
    return this.#bridge.start();
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Slices in the worker. Mesh buffers are transferred (the caller's copies become empty). */
  async slice(request: SliceRequest, options: SliceOptions = {}): Promise<SliceOutcome> {
    if (this.#busy) return failure('engine-failure', 'A slice is already running.');
    if (options.signal?.aborted) return cancelled();
    this.#busy = true;
    const transfers = request.meshes.map((mesh) => mesh.stl);
    const onProgress = (progress: SliceProgress) => options.onProgress?.(progress);
    try {
      return await this.#bridge.call<SliceOutcome>(
        async (api) => api.slice(Comlink.transfer(request, transfers), Comlink.proxy(onProgress)),
        options.signal ? { signal: options.signal } : {},
      );
    } catch (error) {
      if (isWorkerCallAborted(error)) return cancelled();
      if (isWorkerCrashed(error)) {
        return failure('engine-failure', 'The slicer stopped unexpectedly. Try again; if it happens again, try a smaller model.', error.detail);
      }
      return failure('engine-failure', 'The slicer could not finish this slice.', String(error));
    } finally {
      this.#busy = false;
    }
  }

  dispose(): void {
    this.#bridge.keepSpare = false;
    this.#bridge.terminate();
  }
}

function cancelled(): SliceOutcome {
  return failure('cancelled', 'Slicing was cancelled.');
}

function failure(code: 'engine-failure' | 'cancelled', message: string, detail?: string): SliceOutcome {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}
