// The analysed form of a G-code file: typed arrays, one entry per segment, in file order. It is what the
// worker transfers to the page and what the preview draws, so it carries no object per move.

/** Set in `Toolpath.flags` when the segment deposits filament; otherwise it is a travel move. */
export const SEGMENT_EXTRUDES = 1;
/**
 * Set on a segment that is not a move: the position jumped without moving (homing), and the path is
 * continued with this hidden segment so every segment still starts where the previous one ended.
 */
export const SEGMENT_JUMP = 2;

/** Bytes held per stored segment: one f32 vertex, u32 line, u16 layer, u8 feature, u8 flags, u8 tool. */
export const BYTES_PER_SEGMENT = 3 * 4 + 4 + 2 + 1 + 1 + 1;

/**
 * Segments form one continuous path, because a move always starts where the previous one ended. So
 * positions are stored once per vertex: segment i runs from vertex i to vertex i + 1 (start XYZ at
 * positions[3i..3i+2], end XYZ at positions[3i+3..3i+5]). That halves the memory of separate start
 * and end points, and it is a three.js Line (line strip) position buffer as is.
 *
 * The per-segment arrays (`lines`, `layers`, …) have `segmentCount` entries, one per segment. They
 * are views starting one element into buffers of `segmentCount + 1` elements, so the whole buffer is a
 * per-vertex attribute where vertex i + 1 (the end of segment i) carries segment i's values.
 */
export interface Toolpath {
  segmentCount: number;
  /** (segmentCount + 1) vertices × XYZ, millimetres. */
  positions: Float32Array;
  /** 1-based G-code line of the command that made the segment (the last one when segments were joined). */
  lines: Uint32Array;
  layers: Uint16Array;
  features: Uint8Array;
  flags: Uint8Array;
  tools: Uint8Array;
}

/** The per-vertex form of a per-segment array (see `Toolpath`): entry i + 1 belongs to segment i. */
export function perVertex<T extends Uint8Array | Uint16Array | Uint32Array>(segmentArray: T, segmentCount: number): T {
  const Ctor = segmentArray.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T;
  return new Ctor(segmentArray.buffer, segmentArray.byteOffset - segmentArray.BYTES_PER_ELEMENT, segmentCount + 1);
}

export interface LayerRange {
  /** Z of the layer's first extruded move, or of the nozzle when it starts when there is none. */
  z: number;
  /** Segment index range [firstSegment, endSegment) in the stored toolpath. */
  firstSegment: number;
  endSegment: number;
  /** G-code line where the layer starts (1-based). */
  firstLine: number;
}

export interface Bounds {
  min: [number, number, number];
  max: [number, number, number];
}

export type TimeSource = 'slicer' | 'computed';

export interface GcodeSummary {
  lineCount: number;
  byteCount: number;
  /** Every move segment seen, including those not stored when the view was reduced. */
  totalSegments: number;
  storedSegments: number;
  extrudingSegments: number;
  layerCount: number;
  /** 'markers' when the slicer's layer comments drove layering, 'z' when Z changes did. */
  layerSource: 'markers' | 'z';
  /** Bounds of extruded moves; null when nothing was extruded. */
  bounds: Bounds | null;
  /** Bounds of every move, travel included; null when nothing moved. */
  travelBounds: Bounds | null;
  /** Net filament pushed, millimetres, per tool index. */
  filamentMmPerTool: number[];
  filamentMm: number;
  estimatedSeconds: number;
  timeSource: TimeSource;
  /** Our own estimate from feed rates and acceleration, always computed. */
  computedSeconds: number;
  /** The slicer's estimate when the file states one. */
  slicerSeconds: number | null;
  /** False when nothing was extruded: CNC, laser or a file that only moves. */
  isFdm: boolean;
  toolsUsed: number[];
  /** True when the stored toolpath was simplified to stay within the memory budget. */
  reduced: boolean;
  /** Why and how the toolpath was reduced, in words for the user. */
  reducedReason: string | null;
  /** Bytes held by the stored toolpath arrays. */
  toolpathBytes: number;
  /** Plain-language notes: unsupported commands, not FDM, and so on. */
  warnings: string[];
  /** The generator named in the header, when found ("Cura_SteamEngine 4.13.0", "PrusaSlicer 2.6.1"). */
  generator: string | null;
}

export interface GcodeAnalysis {
  toolpath: Toolpath;
  layers: LayerRange[];
  summary: GcodeSummary;
}
