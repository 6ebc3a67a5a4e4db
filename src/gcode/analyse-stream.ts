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
/** The first read is smaller, so the analysis starts before a whole slice has arrived. */
const FIRST_SLICE_BYTES = 512 * 1024;

/**
 * Chunks of a Blob or File, read slice by slice so the whole file is never in memory at once. Slices
 * rather than `blob.stream()`: the stream hands out 64 KiB pieces, each a round trip to the browser.
 * The next slice is already being read while the current one is analysed (the reading happens in the
 * browser, not on this thread), so at most two slices are held.
 */
export async function* blobChunks(blob: Blob, sliceBytes = BLOB_SLICE_BYTES): AsyncGenerator<Uint8Array> {
  const read = (from: number, to: number) => blob.slice(from, to).arrayBuffer();
  let offset = Math.min(blob.size, FIRST_SLICE_BYTES, sliceBytes);
  let pending: Promise<ArrayBuffer> | null = blob.size > 0 ? read(0, offset) : null;
  try {
    while (pending) {
      const current = pending;
      const end = Math.min(blob.size, offset + sliceBytes);
      pending = offset < blob.size ? read(offset, end) : null;
      offset = end;
      yield new Uint8Array(await current);
    }
  } finally {
    // Stopped early (an error or a cancel): the read ahead is no longer wanted, and must not reject unseen.
    pending?.catch(() => undefined);
  }
}

/** The buffers of an analysis, for a zero-copy transfer between threads. */
export function transferList(analysis: GcodeAnalysis): ArrayBuffer[] {
  const t = analysis.toolpath;
  const buffers = [t.positions.buffer, t.lines.buffer, t.layers.buffer, t.features.buffer, t.flags.buffer, t.tools.buffer];
  return [...new Set(buffers)] as ArrayBuffer[];
}

/**
 * A made-up print of about 40 000 lines (walls, infill, travel, arcs, comments): analysing it once
 * lets the JavaScript engine optimise the analysis before a real file arrives.
 */
export function warmUpGcode(): Uint8Array {
  const lines: string[] = ['G21', 'G90', 'M82', 'G92 E0', 'G28'];
  let e = 0;
  for (let layer = 0; layer < 100; layer++) {
    const z = (0.2 + layer * 0.2).toFixed(2);
    lines.push(`;LAYER:${layer}`, `G0 F6000 X10 Y10 Z${z}`, ';TYPE:WALL-OUTER');
    for (let k = 0; k < 200; k++) {
      const a = (k / 200) * Math.PI * 2;
      lines.push(`G1 X${(50 + 30 * Math.cos(a)).toFixed(3)} Y${(50 + 30 * Math.sin(a)).toFixed(3)} E${(e += 0.05).toFixed(5)}`);
    }
    lines.push(';TYPE:FILL', 'G1 E-1 F2400', 'G0 X30 Y30', 'G1 E0 F2400', 'G92 E0');
    e = 0;
    for (let k = 0; k < 180; k++) {
      lines.push(k % 2 ? `G0 X${30 + k * 0.2} Y30` : `G1 X${30 + k * 0.2} Y70 E${(e += 0.8).toFixed(5)}`);
    }
    lines.push('G2 X40 Y50 I5 J0 E0.5', ';TIME_ELAPSED:1.0');
  }
  return new TextEncoder().encode(lines.join('\n'));
}
