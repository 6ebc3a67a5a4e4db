// Which stored segments a layer choice covers, and which layer a printer's current line is in.
import { SEGMENT_EXTRUDES, type LayerRange, type Toolpath } from './toolpath.js';

export type LayerMode = 'single' | 'up-to';

export interface SegmentRange {
  firstSegment: number;
  endSegment: number;
}

/** Segments to draw for layer `layer` (0-based) shown alone or with everything below it. */
export function segmentsForLayer(layers: readonly LayerRange[], layer: number, mode: LayerMode): SegmentRange {
  if (layers.length === 0) return { firstSegment: 0, endSegment: 0 };
  const index = Math.max(0, Math.min(layers.length - 1, Math.round(layer)));
  const chosen = layers[index];
  return { firstSegment: mode === 'single' ? chosen.firstSegment : 0, endSegment: chosen.endSegment };
}

/** The layer holding G-code line `line` (the last layer starting at or before it). */
export function layerAtLine(layers: readonly LayerRange[], line: number): number {
  let lo = 0;
  let hi = layers.length - 1;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (layers[mid].firstLine <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Bitmask of the feature codes that occur in extruded segments. */
export function featuresPresent(toolpath: Toolpath): number {
  let mask = 0;
  const { features, flags, segmentCount } = toolpath;
  for (let i = 0; i < segmentCount; i++) if ((flags[i] & SEGMENT_EXTRUDES) !== 0) mask |= 1 << features[i];
  return mask;
}
