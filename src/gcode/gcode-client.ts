// The page's side of the G-code worker, through the shared worker bridge. One worker per analysis: its
// memory goes away with it, and cancelling is simply terminating it. `prepare()` keeps the next worker
// started and warmed up.
import * as Comlink from 'comlink';
import { WorkerBridge, isWorkerCallAborted, isWorkerCrashed, type WorkerLike } from '../worker-bridge/worker-bridge.js';
import type { AnalysisOptions, AnalysisOutcome, AnalysisProgress, GcodeWorkerApi } from './gcode-worker-api.js';

export type GcodeWorkerFactory = () => WorkerLike;

export interface AnalyseOptions extends AnalysisOptions {
  signal?: AbortSignal;
  onProgress?(progress: AnalysisProgress): void;
}

const defaultFactory: GcodeWorkerFactory = () =>
  new Worker(new URL('../../workers/gcode.worker.ts', import.meta.url), { type: 'module', name: 'gcode' });

export class GcodeClient {
  private readonly bridge: WorkerBridge<GcodeWorkerApi>;

  constructor(createWorker: GcodeWorkerFactory = defaultFactory) {
    this.bridge = new WorkerBridge<GcodeWorkerApi>({
      name: 'G-code',
      create: createWorker,
      idle: { kind: 'fresh-per-call' },
      // A failed warm-up only costs speed.
      onStart: (api) => api.warmUp(),
    });
  }

  /**
   * Starts a worker now and warms up its analysis, so the next file opens without waiting for either;
   * after each analysis another one is prepared. Costs one idle worker.
   */
  prepare(): void {
    this.bridge.keepSpare = true;
    void this.bridge.start();
  }

  /** Stops the prepared worker. */
  dispose(): void {
    this.bridge.keepSpare = false;
    this.bridge.terminate();
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
    const { signal, onProgress, ...settings } = options;
    const progress = onProgress ? Comlink.proxy((p: AnalysisProgress) => onProgress(p)) : undefined;
    try {
      return await this.bridge.call((remote) => call(remote, settings, progress), signal ? { signal } : {});
    } catch (error) {
      if (isWorkerCallAborted(error)) return cancelled();
      if (isWorkerCrashed(error)) {
        return {
          ok: false,
          error:
            error.crashCause === 'start-failed'
              ? { message: 'The G-code preview could not start its background worker.', detail: error.detail }
              : { message: 'The G-code analysis stopped unexpectedly. The file may be too big for this computer’s memory.', detail: error.detail },
        };
      }
      return { ok: false, error: { message: 'The G-code analysis stopped unexpectedly.', detail: String(error) } };
    }
  }
}

function cancelled(): AnalysisOutcome {
  return { ok: false, error: { message: 'Opening the G-code file was cancelled.', detail: 'aborted' } };
}
