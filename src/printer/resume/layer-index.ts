// Where each layer of a stored G-code file starts (byte offset and line of its first line) and the
// machine state the file had set up by then, built in one pass over the file's chunks. A resume streams
// the file from a layer's offset and rebuilds the state there; the sender confirms each layer start
// with `M400` so a checkpoint knows which layers were really finished.
//
// Slicer markers (`;LAYER:n` from Cura, `;LAYER_CHANGE` from PrusaSlicer and its kin, `; layer n` from
// Simplify3D) are trusted when the file has them: a layer starts at its marker line. Without markers a
// layer starts at the move that took Z to a new height at which filament is then laid, so Z hops and
// travel moves never start one.

import { CommentKind, classifyComment, type CommentMatch } from '../../gcode/slicer-comments.js';
import type { PrintStateSnapshot } from '../../storage/job-checkpoint.js';
import { GcodeLineReader, type RawLine } from '../engine/gcode-line-reader.js';
import { stripComment } from '../engine/line-framing.js';
import { PrintState, copyPrintState, initialPrintState } from './print-state.js';

export interface LayerStart {
  /** 0-based layer number, in file order. */
  layer: number;
  /** 1-based line number of the layer's first line. */
  line: number;
  /** Byte offset where that line starts. */
  offset: number;
  /** Z at which the layer lays its first filament (mm), when it lays any. */
  z?: number;
  /** The state the file had set up just before this line. */
  state: PrintStateSnapshot;
}

export interface LayerIndex {
  layers: LayerStart[];
  /** How the layers were found. */
  source: 'slicer-markers' | 'z-changes' | 'none';
  totalBytes: number;
  totalLines: number;
}

/** Two layers closer than this in Z are one (non-planar or spiral files). */
const MIN_LAYER_STEP_MM = 0.05;

/** A layer marker in a raw line's comment, as the G-code analysis recognises them. */
export function isLayerMarker(text: string): boolean {
  const semi = text.indexOf(';');
  if (semi < 0) return false;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  const out: CommentMatch = { kind: CommentKind.None, valueStart: 0 };
  classifyComment(bytes, semi + 1, bytes.length, out);
  return out.kind === CommentKind.LayerMarker;
}

export class LayerIndexBuilder {
  private readonly reader = new GcodeLineReader();
  private readonly state = new PrintState();
  private readonly markerLayers: LayerStart[] = [];
  private readonly zLayers: LayerStart[] = [];
  private lineStart = 0;
  private lastZMove: { line: number; offset: number; state: PrintStateSnapshot } | null = null;
  private zLayerZ: number | null = null;

  feed(chunk: Uint8Array): void {
    this.reader.feed(chunk, (l) => this.take(l));
  }

  finish(): LayerIndex {
    this.reader.finish((l) => this.take(l));
    const markers = this.markerLayers.length > 0;
    const layers = markers ? this.markerLayers : this.zLayers;
    return {
      layers: layers.map((l, i) => ({ ...l, layer: i })),
      source: layers.length === 0 ? 'none' : markers ? 'slicer-markers' : 'z-changes',
      totalBytes: this.reader.bytesRead,
      totalLines: this.lineCount,
    };
  }

  private lineCount = 0;

  private take(raw: RawLine): void {
    const start = this.lineStart;
    this.lineStart = raw.endOffset;
    this.lineCount = raw.lineNumber;
    if (mayBeLayerMarker(raw.text) && isLayerMarker(raw.text)) {
      this.markerLayers.push({ layer: this.markerLayers.length, line: raw.lineNumber, offset: start, state: this.state.snapshot() });
    }
    const command = stripComment(raw.text);
    if (!command) return;
    const zMoveCandidate = /^[Gg]0*[0-3](?!\d)/.test(command) && /[Zz]/.test(command);
    const stateBefore = zMoveCandidate ? this.state.snapshot() : null;
    const applied = this.state.apply(command);
    if (applied.zChanged && stateBefore) this.lastZMove = { line: raw.lineNumber, offset: start, state: stateBefore };
    if (!applied.extrudes) return;
    const z = this.state.s.z;
    const markerLayer = this.markerLayers[this.markerLayers.length - 1];
    if (markerLayer && markerLayer.z === undefined) markerLayer.z = z;
    if (this.zLayerZ === null || Math.abs(z - this.zLayerZ) >= MIN_LAYER_STEP_MM) {
      // The layer starts at the move that took Z to this height (the file's start if Z never moved).
      const from = this.lastZMove ?? { line: 1, offset: 0, state: initialPrintState() };
      this.zLayers.push({ layer: this.zLayers.length, line: from.line, offset: from.offset, z, state: copyPrintState(from.state) });
      this.zLayerZ = z;
    }
  }
}

/** Cheap first test: layer markers are comments starting with `L` or `l`. */
function mayBeLayerMarker(text: string): boolean {
  const semi = text.indexOf(';');
  if (semi < 0) return false;
  let i = semi + 1;
  while (text.charCodeAt(i) === 32) i++;
  return (text.charCodeAt(i) | 32) === 108;
}

/** Builds the index of a whole file read chunk by chunk. */
export async function indexLayers(chunks: AsyncIterable<Uint8Array>): Promise<LayerIndex> {
  const builder = new LayerIndexBuilder();
  for await (const chunk of chunks) builder.feed(chunk);
  return builder.finish();
}

/** The layer containing the byte at `offset` (-1 before the first layer). */
export function layerAtOffset(index: LayerIndex, offset: number): number {
  let lo = 0;
  let hi = index.layers.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.layers[mid]!.offset <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
