// Reading a toolpath segment by segment, for tests, the follow-the-print lookup and anyone who needs
// one segment rather than the whole buffer.
import { SEGMENT_EXTRUDES, SEGMENT_JUMP, type Toolpath } from './toolpath.js';

export interface SegmentView {
  start: [number, number, number];
  end: [number, number, number];
  extrudes: boolean;
  jump: boolean;
  feature: number;
  tool: number;
  layer: number;
  line: number;
}

export function readSegment(toolpath: Toolpath, i: number): SegmentView {
  const p = toolpath.positions;
  const s = i * 3;
  return {
    start: [p[s], p[s + 1], p[s + 2]],
    end: [p[s + 3], p[s + 4], p[s + 5]],
    extrudes: (toolpath.flags[i] & SEGMENT_EXTRUDES) !== 0,
    jump: (toolpath.flags[i] & SEGMENT_JUMP) !== 0,
    feature: toolpath.features[i],
    tool: toolpath.tools[i],
    layer: toolpath.layers[i],
    line: toolpath.lines[i],
  };
}

/** Segments that are moves (hidden jumps left out), in order. */
export function readMoves(toolpath: Toolpath): SegmentView[] {
  const moves: SegmentView[] = [];
  for (let i = 0; i < toolpath.segmentCount; i++) {
    const view = readSegment(toolpath, i);
    if (!view.jump) moves.push(view);
  }
  return moves;
}

/**
 * How many segments were made by lines up to and including `line` (segments are in file order, so
 * their line numbers never decrease). Used to mark what a printer has already printed.
 */
export function segmentsThroughLine(toolpath: Toolpath, line: number): number {
  const lines = toolpath.lines;
  let lo = 0;
  let hi = toolpath.segmentCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid] <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
