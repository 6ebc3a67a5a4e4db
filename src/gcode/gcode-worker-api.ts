// What the G-code worker offers the page. Shared by workers/gcode.worker.ts and gcode-client.ts.
import type { AnalyserOptions } from './gcode-analyser.js';
import type { GcodeAnalysis } from './toolpath.js';

export interface AnalysisProgress {
  bytesRead: number;
  /** Size of the whole file, when known (0 otherwise). */
  totalBytes: number;
  linesRead: number;
}

export interface AnalysisError {
  message: string;
  detail: string;
}

export type AnalysisOutcome =
  | { ok: true; analysis: GcodeAnalysis; name: string; milliseconds: number }
  | { ok: false; error: AnalysisError };

export type AnalysisOptions = Pick<AnalyserOptions, 'maxSegments' | 'chordTolerance' | 'acceleration' | 'minLayerStep'>;

export interface GcodeWorkerApi {
  /** Runs the analysis over a small made-up file so the real one starts with optimised code; resolves with the ms spent. */
  warmUp(): Promise<number>;
  /** Streams a file the user opened (File/Blob) through the analysis. */
  analyseBlob(blob: Blob, name: string, options: AnalysisOptions, onProgress?: (progress: AnalysisProgress) => void): Promise<AnalysisOutcome>;
  /** Reads a stored G-code file chunk by chunk from IndexedDB, inside the worker. */
  analyseStored(gcodeId: string, options: AnalysisOptions, onProgress?: (progress: AnalysisProgress) => void): Promise<AnalysisOutcome>;
}
