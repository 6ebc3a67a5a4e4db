// The page's side of the G-code worker. One worker per analysis: its memory goes away with it, and
// cancelling is simply terminating it. `prepare()` keeps the next worker started and warmed up.
import * as Comlink from 'comlink';
import type { AnalysisOptions, AnalysisOutcome, AnalysisProgress, GcodeWorkerApi } from './gcode-worker-api.js';

export type GcodeWorkerFactory = () => Worker;

export interface AnalyseOptions extends AnalysisOptions {
  signal?: AbortSignal;
  onProgress?(progress: AnalysisProgress): void;
}

const defaultFactory: GcodeWorkerFactory = () =>
  new Worker(new URL('../../workers/gcode.worker.ts', import.meta.url), { type: 'module', name: 'gcode' });

interface WorkerSlot {
  worker: Worker;
  remote: Comlink.Remote<GcodeWorkerApi>;
}

export class GcodeClient {
  /** A worker started ahead of time (see `prepare`). */
  private spare: WorkerSlot | null = null;
  private keepSpare = false;

  constructor(private readonly createWorker: GcodeWorkerFactory = defaultFactory) {}

  /**
   * Starts a worker now and warms up its analysis, so the next file opens without waiting for either;
   * after each analysis another one is prepared. Costs one idle worker.
   */
  prepare(): void {
    this.keepSpare = true;
    if (this.spare) return;
    try {
      const worker = this.createWorker();
      const remote = Comlink.wrap<GcodeWorkerApi>(worker);
      remote.warmUp().catch(() => undefined); // a failed warm-up only costs speed
      this.spare = { worker, remote };
    } catch {
      // the next analysis starts its own worker and reports the error
    }
  }

  /** Stops the prepared worker. */
  dispose(): void {
    this.keepSpare = false;
    this.spare?.remote[Comlink.releaseProxy]();
    this.spare?.worker.terminate();
    this.spare = null;
  }

  /** Analyses a file the user picked or dropped. */
  analyseFile(file: Blob, name: string, options: AnalyseOptions = {}): Promise<AnalysisOutcome> {
    return this.run(options, (remote, settings, progress) => remote.analyseBlob(file, name, settings, progress));
  }

  /** Analyses a G-code file stored in the library; the worker reads its chunks itself. */
  analyseStored(gcodeId: string, options: AnalyseOptions = {}): Promise<AnalysisOutcome> {
    return this.run(options, (remote, settings, progress) => remote.analyseStored(gcodeId, settings, progress));
  }

  private async run(
    options: AnalyseOptions,
    call: (
      remote: Comlink.Remote<GcodeWorkerApi>,
      settings: AnalysisOptions,
      progress: ((p: AnalysisProgress) => void) | undefined,
    ) => Promise<AnalysisOutcome>,
  ): Promise<AnalysisOutcome> {
    if (options.signal?.aborted) return cancelled();
    const { signal, onProgress, ...settings } = options;
    let slot = this.spare;
    this.spare = null;
    if (!slot) {
      try {
        const worker = this.createWorker();
        slot = { worker, remote: Comlink.wrap<GcodeWorkerApi>(worker) };
      } catch (error) {
        return { ok: false, error: { message: 'The G-code preview could not start its background worker.', detail: String(error) } };
      }
    }
    const { worker, remote } = slot;
    const progress = onProgress ? Comlink.proxy((p: AnalysisProgress) => onProgress(p)) : undefined;
    let abort = () => undefined as void;
    const stopped = new Promise<AnalysisOutcome>((resolve) => {
      abort = () => resolve(cancelled());
      signal?.addEventListener('abort', abort, { once: true });
      worker.addEventListener('error', (event) =>
        resolve({
          ok: false,
          error: {
            message: 'The G-code analysis stopped unexpectedly. The file may be too big for this computer’s memory.',
            detail: event.message || 'worker error',
          },
        }),
      );
    });
    try {
      return await Promise.race([call(remote, settings, progress), stopped]);
    } catch (error) {
      return { ok: false, error: { message: 'The G-code analysis stopped unexpectedly.', detail: String(error) } };
    } finally {
      signal?.removeEventListener('abort', abort);
      remote[Comlink.releaseProxy]();
      worker.terminate();
      if (this.keepSpare) this.prepare();
    }
  }
}

function cancelled(): AnalysisOutcome {
  return { ok: false, error: { message: 'Opening the G-code file was cancelled.', detail: 'aborted' } };
}
