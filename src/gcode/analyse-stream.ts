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

/** Bytes read from a Blob at a time: big enough to keep overheads low, small enough to never matter. */
export const BLOB_SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Chunks of a Blob or File, read slice by slice so the whole file is never in memory at once. Slices
 * rather than `blob.stream()`: the stream hands out 64 KiB pieces, each a round trip to the browser.
 */
export async function* blobChunks(blob: Blob, sliceBytes = BLOB_SLICE_BYTES): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < blob.size; offset += sliceBytes) {
    yield new Uint8Array(await blob.slice(offset, offset + sliceBytes).arrayBuffer());
  }
}

/** The buffers of an analysis, for a zero-copy transfer between threads. */
export function transferList(analysis: GcodeAnalysis): ArrayBuffer[] {
  const t = analysis.toolpath;
  const buffers = [t.positions.buffer, t.lines.buffer, t.layers.buffer, t.features.buffer, t.flags.buffer, t.tools.buffer];
  return [...new Set(buffers)] as ArrayBuffer[];
}
