// Runs the analysis over any source of byte chunks, reporting progress now and then. Used by the worker
// for files and for stored G-code alike, and testable in Node.
import { GcodeAnalyser, type AnalyserOptions } from './gcode-analyser.js';
import type { AnalysisProgress } from './gcode-worker-api.js';
import type { GcodeAnalysis } from './toolpath.js';

/** Progress at most this often (ms): the page redraws a bar, not a log. */
const PROGRESS_INTERVAL_MS = 200;

export async function analyseStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: AnalyserOptions,
  onProgress?: (progress: AnalysisProgress) => void,
  now: () => number = () => performance.now(),
): Promise<GcodeAnalysis> {
  const analyser = new GcodeAnalyser(options);
  const totalBytes = options.sizeHint ?? 0;
  let lastReport = now();
  for await (const chunk of chunks) {
    analyser.push(chunk);
    if (onProgress && now() - lastReport >= PROGRESS_INTERVAL_MS) {
      lastReport = now();
      onProgress({ bytesRead: analyser.bytesRead, totalBytes, linesRead: analyser.linesRead });
    }
  }
  const analysis = analyser.finish();
  onProgress?.({ bytesRead: analyser.bytesRead, totalBytes, linesRead: analyser.linesRead });
  return analysis;
}

/** Chunks of a Blob or File via its stream, so the whole file is never in memory at once. */
export async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The buffers of an analysis, for a zero-copy transfer between threads. */
export function transferList(analysis: GcodeAnalysis): ArrayBuffer[] {
  const t = analysis.toolpath;
  const buffers = [t.positions.buffer, t.lines.buffer, t.layers.buffer, t.features.buffer, t.flags.buffer, t.tools.buffer];
  return [...new Set(buffers)] as ArrayBuffer[];
}
