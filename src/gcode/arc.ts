// Geometry of G2/G3 arcs in the XY plane: where the centre is (from I/J offsets or from a radius R), how
// far the arc sweeps, and how many straight chords keep within a chord tolerance.

export interface ArcPlan {
  cx: number;
  cy: number;
  radius: number;
  startAngle: number;
  /** Signed sweep in radians: positive counter-clockwise (G3), negative clockwise (G2). */
  sweep: number;
  chords: number;
}

const TAU = Math.PI * 2;
/** Start and end closer than this (mm) make a full circle when the centre is given by I/J. */
const SAME_POINT = 1e-6;
export const MAX_CHORDS_PER_ARC = 4096;

/**
 * Plans an arc from (x0, y0) to (x1, y1) around (cx, cy). `turns` adds whole extra circles (Marlin's P).
 * Returns false when the arc is degenerate (zero radius).
 */
export function planArc(
  out: ArcPlan, x0: number, y0: number, x1: number, y1: number, cx: number, cy: number,
  clockwise: boolean, turns: number, chordTolerance: number,
): boolean {
  const radius = Math.hypot(x0 - cx, y0 - cy);
  if (!(radius > 1e-9)) return false;
  const a0 = Math.atan2(y0 - cy, x0 - cx);
  const a1 = Math.atan2(y1 - cy, x1 - cx);
  let sweep = a1 - a0;
  const closed = Math.abs(x1 - x0) < SAME_POINT && Math.abs(y1 - y0) < SAME_POINT;
  if (clockwise) {
    if (closed || sweep >= -1e-12) sweep -= TAU;
    if (closed && sweep < -TAU) sweep = -TAU;
  } else {
    if (closed || sweep <= 1e-12) sweep += TAU;
    if (closed && sweep > TAU) sweep = TAU;
  }
  if (turns > 0) sweep += (clockwise ? -TAU : TAU) * Math.floor(turns);
  const step = chordTolerance < radius ? 2 * Math.acos(1 - chordTolerance / radius) : Math.PI / 2;
  out.cx = cx;
  out.cy = cy;
  out.radius = radius;
  out.startAngle = a0;
  out.sweep = sweep;
  out.chords = Math.min(MAX_CHORDS_PER_ARC, Math.max(1, Math.ceil(Math.abs(sweep) / step)));
  return true;
}

/**
 * The centre of an arc given by radius R: the shorter arc for R > 0, the longer for R < 0 (the usual
 * G-code convention). Writes [cx, cy] into `centre`; false when start and end coincide.
 */
export function centreFromRadius(
  centre: [number, number], x0: number, y0: number, x1: number, y1: number, r: number, clockwise: boolean,
): boolean {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const d = Math.hypot(dx, dy);
  if (!(d > SAME_POINT)) return false;
  const half = d / 2;
  const h = Math.sqrt(Math.max(0, r * r - half * half));
  // Clockwise short arcs turn around a centre on the right of the chord; a negative R or a
  // counter-clockwise arc puts it on the left.
  const side = (clockwise ? 1 : -1) * (r < 0 ? -1 : 1);
  const mx = x0 + dx / 2;
  const my = y0 + dy / 2;
  centre[0] = mx + side * h * (dy / d);
  centre[1] = my - side * h * (dx / d);
  return true;
}
