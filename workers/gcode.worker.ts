// G-code analysis off the main thread. Bytes come from a File/Blob stream or straight from IndexedDB;
// the typed arrays go back to the page by transfer, never copied.
import * as Comlink from 'comlink';
import { analyseStream, blobChunks, transferList, warmUpGcode } from '../src/gcode/analyse-stream.js';
import { GcodeAnalyser } from '../src/gcode/gcode-analyser.js';
import type { AnalysisOutcome, GcodeWorkerApi } from '../src/gcode/gcode-worker-api.js';
import type { GcodeAnalysis } from '../src/gcode/toolpath.js';
import { openSliceportStorage } from '../src/storage/sliceport-storage.js';

function success(analysis: GcodeAnalysis, name: string, started: number): AnalysisOutcome {
  const outcome: AnalysisOutcome = { ok: true, analysis, name, milliseconds: performance.now() - started };
  return Comlink.transfer(outcome, transferList(analysis));
}

function failure(message: string, error: unknown): AnalysisOutcome {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const plain = error instanceof Error && error.name === 'StorageError' ? error.message : message;
  return { ok: false, error: { message: plain, detail } };
}

const api: GcodeWorkerApi = {
  async warmUp() {
    const sample = warmUpGcode();
    const started = performance.now();
    // More passes were tried: on the benchmark files they made no measurable difference.
    const analyser = new GcodeAnalyser({ sizeHint: sample.length });
    analyser.push(sample);
    analyser.finish();
    return performance.now() - started;
  },
  async analyseBlob(blob, name, options, onProgress) {
    const started = performance.now();
    try {
      const analysis = await analyseStream(blobChunks(blob), { ...options, sizeHint: blob.size }, onProgress);
      return success(analysis, name, started);
    } catch (error) {
      return failure(`“${name}” could not be read as G-code. The file may be unreadable or no longer available.`, error);
    }
  },
  async analyseStored(gcodeId, options, onProgress) {
    const started = performance.now();
    try {
      const storage = await openSliceportStorage();
      try {
        const record = await storage.gcode.get(gcodeId);
        if (!record) return { ok: false, error: { message: 'This G-code file is no longer in the library.', detail: `no gcode record ${gcodeId}` } };
        const analysis = await analyseStream(storage.gcode.chunks(gcodeId), { ...options, sizeHint: record.size }, onProgress);
        if (record.layerCount === undefined) {
          // Teach the library what the file holds; a failure here must not cost the user the preview.
          const s = analysis.summary;
          await storage.gcode
            .update(gcodeId, {
              layerCount: s.layerCount,
              lineCount: s.lineCount,
              filamentMm: Math.round(s.filamentMm),
              estimatedSeconds: record.estimatedSeconds ?? Math.round(s.estimatedSeconds),
            })
            .catch((error: unknown) => console.warn('G-code statistics not saved', error));
        }
        return success(analysis, record.name, started);
      } finally {
        storage.close();
      }
    } catch (error) {
      return failure('The stored G-code file could not be read.', error);
    }
  },
};

Comlink.expose(api);
