// Which segments are drawn, as an index buffer for line segments over the toolpath's vertex path:
// segment i is the index pair (i, i + 1). Hidden segments (travel when travel is off, switched-off
// features, the hidden jumps) are left out of the index, so the GPU never rasterises them.
import { SEGMENT_EXTRUDES, SEGMENT_JUMP, type Toolpath } from './toolpath.js';

/** Fills `out` (at least 2 × segmentCount long) with the visible segments' pairs; returns how many. */
export function buildVisibleIndex(toolpath: Toolpath, featureMask: number, showTravel: boolean, out: Uint32Array): number {
  const { flags, features, segmentCount } = toolpath;
  let w = 0;
  for (let i = 0; i < segmentCount; i++) {
    const f = flags[i];
    if ((f & SEGMENT_JUMP) !== 0) continue;
    if ((f & SEGMENT_EXTRUDES) !== 0 ? ((featureMask >>> features[i]) & 1) === 0 : !showTravel) continue;
    out[w++] = i;
    out[w++] = i + 1;
  }
  return w >>> 1;
}

/** How many visible segments come before segment `segment` (the index is in segment order). */
export function visibleBefore(index: Uint32Array, visibleCount: number, segment: number): number {
  let lo = 0;
  let hi = visibleCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index[mid * 2] < segment) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
