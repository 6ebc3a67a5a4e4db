// The page's side of the slicer worker: a small abortable bridge. A slice cannot be interrupted inside
// the engine, so cancelling terminates the worker and starts a fresh one (warmed up at once, so the next
// slice does not wait for the engine to compile). Errors always come back as plain messages.
import * as Comlink from 'comlink';
import type { SliceOutcome, SliceProgress, SliceRequest } from './slice-api.js';
import type { SlicerWorkerApi } from './slicer-worker-api.js';

export type WorkerFactory = () => Worker;

export interface SliceOptions {
  signal?: AbortSignal;
  onProgress?(progress: SliceProgress): void;
}

interface WorkerSlot {
  worker: Worker;
  remote: Comlink.Remote<SlicerWorkerApi>;
  /** Settles when the worker dies on its own (a crash, not our terminate). */
  died: Promise<string>;
}

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../../workers/slicer.worker.ts', import.meta.url), { type: 'module', name: 'slicer' });

export class SlicerClient {
  readonly #createWorker: WorkerFactory;
  #slot: WorkerSlot | null = null;
  #busy = false;

  constructor(createWorker: WorkerFactory = defaultFactory) {
    this.#createWorker = createWorker;
  }

  /**
   * Starts the worker and compiles the engine in the background. Settles when it is warm; never
   * rejects (a failed warm-up is retried by the next slice, which reports the error).
   */
  warmUp(): Promise<void> {
    const slot = this.#current();
    return slot.remote.warmUp().catch(() => undefined);
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Slices in the worker. Mesh buffers are transferred (the caller's copies become empty). */
  async slice(request: SliceRequest, options: SliceOptions = {}): Promise<SliceOutcome> {
    if (this.#busy) return failure('engine-failure', 'A slice is already running.');
    if (options.signal?.aborted) return cancelled();
    this.#busy = true;
    const slot = this.#current();
    const transfers = request.meshes.map((mesh) => mesh.stl);
    const onProgress = (progress: SliceProgress) => options.onProgress?.(progress);
    let onAbort = () => undefined as void;
    const aborted = new Promise<SliceOutcome>((resolve) => {
      onAbort = () => {
        this.#replace(slot);
        resolve(cancelled());
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const crashed = slot.died.then((reason) => {
      this.#replace(slot);
      return failure('engine-failure', 'The slicer stopped unexpectedly. Try again; if it happens again, try a smaller model.', reason);
    });
    const sliced = slot.remote.slice(Comlink.transfer(request, transfers), Comlink.proxy(onProgress)).catch((error: unknown) =>
      failure('engine-failure', 'The slicer could not finish this slice.', String(error)),
    );
    try {
      return await Promise.race([sliced, aborted, crashed]);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.#busy = false;
    }
  }

  dispose(): void {
    if (this.#slot) {
      this.#slot.remote[Comlink.releaseProxy]();
      this.#slot.worker.terminate();
      this.#slot = null;
    }
  }

  #current(): WorkerSlot {
    if (!this.#slot) {
      const worker = this.#createWorker();
      const died = new Promise<string>((resolve) => {
        worker.addEventListener('error', (event) => resolve(event.message || 'the slicer worker crashed'));
      });
      this.#slot = { worker, remote: Comlink.wrap<SlicerWorkerApi>(worker), died };
    }
    return this.#slot;
  }

  /** Terminates a worker (mid-slice, or after a crash) and pre-warms its replacement. */
  #replace(slot: WorkerSlot): void {
    if (this.#slot !== slot) return;
    slot.worker.terminate();
    this.#slot = null;
    void this.warmUp();
  }
}

function cancelled(): SliceOutcome {
  return failure('cancelled', 'Slicing was cancelled.');
}

function failure(code: 'engine-failure' | 'cancelled', message: string, detail?: string): SliceOutcome {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}
