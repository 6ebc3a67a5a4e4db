// The page's side of the G-code worker. One worker per analysis: it is cheap to start, its memory goes
// away with it, and cancelling is simply terminating it.
import * as Comlink from 'comlink';
import type { AnalysisOptions, AnalysisOutcome, AnalysisProgress, GcodeWorkerApi } from './gcode-worker-api.js';

export type GcodeWorkerFactory = () => Worker;

export interface AnalyseOptions extends AnalysisOptions {
  signal?: AbortSignal;
  onProgress?(progress: AnalysisProgress): void;
}

const defaultFactory: GcodeWorkerFactory = () =>
  new Worker(new URL('../../workers/gcode.worker.ts', import.meta.url), { type: 'module', name: 'gcode' });

export class GcodeClient {
  constructor(private readonly createWorker: GcodeWorkerFactory = defaultFactory) {}

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
    let worker: Worker;
    try {
      worker = this.createWorker();
    } catch (error) {
      return { ok: false, error: { message: 'The G-code preview could not start its background worker.', detail: String(error) } };
    }
    const remote = Comlink.wrap<GcodeWorkerApi>(worker);
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
    }
  }
}

function cancelled(): AnalysisOutcome {
  return { ok: false, error: { message: 'Opening the G-code file was cancelled.', detail: 'aborted' } };
}
