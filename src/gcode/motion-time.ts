// Print time from feed rates, when the slicer does not say. A deliberately small model of a firmware
// planner: every move follows a trapezoid (accelerate, cruise, decelerate) at one acceleration, and the
// speed kept through a corner is the lower of the two feed rates scaled by the cosine of the turn
// (straight on keeps full speed, a right angle or sharper stops). There is a one-move look-ahead and no
// backward pass, no jerk or junction deviation, no per-axis limits, and heating waits are not counted.
// It lands within a few tens of per cent of slicer estimates, which is what a preview needs.

export class MotionTimer {
  seconds = 0;
  /** mm/s², changed by M204. */
  acceleration: number;

  private pendingLength = 0;
  private pendingSpeed = 0;
  private pendingEntry = 0;
  private ux = 0;
  private uy = 0;
  private uz = 0;
  private hasPending = false;

  constructor(acceleration: number) {
    this.acceleration = acceleration;
  }

  /** A straight move of `length` mm in direction (dx, dy, dz)/length at `speed` mm/s. */
  move(length: number, dx: number, dy: number, dz: number, speed: number): void {
    if (!(length > 0) || !(speed > 0)) return;
    const inv = 1 / length;
    const ux = dx * inv;
    const uy = dy * inv;
    const uz = dz * inv;
    let entry = 0;
    if (this.hasPending) {
      const cos = this.ux * ux + this.uy * uy + this.uz * uz;
      const junction = cos > 0 ? Math.min(this.pendingSpeed, speed) * cos : 0;
      entry = this.finishPending(junction);
    }
    this.pendingLength = length;
    this.pendingSpeed = speed;
    this.pendingEntry = entry;
    this.ux = ux;
    this.uy = uy;
    this.uz = uz;
    this.hasPending = true;
  }

  /** A move along no axis but the extruder (retract, prime): stops before and after. */
  extruderOnly(length: number, speed: number): void {
    this.stop();
    this.seconds += trapezoidSeconds(length, 0, speed, 0, this.acceleration);
  }

  dwell(seconds: number): void {
    this.stop();
    if (seconds > 0) this.seconds += seconds;
  }

  /** Come to rest (end of file, dwell, homing). */
  stop(): void {
    if (this.hasPending) this.finishPending(0);
    this.hasPending = false;
  }

  /** Adds the pending move's time with the given exit speed; returns the exit speed it could reach. */
  private finishPending(exit: number): number {
    const a = this.acceleration;
    const reachable = Math.sqrt(this.pendingEntry * this.pendingEntry + 2 * a * this.pendingLength);
    const v1 = Math.min(exit, reachable, this.pendingSpeed);
    this.seconds += trapezoidSeconds(this.pendingLength, this.pendingEntry, this.pendingSpeed, v1, a);
    return v1;
  }
}

/** Time to cover `d` mm starting at v0, cruising at most at vc, ending at v1, with acceleration a. */
export function trapezoidSeconds(d: number, v0: number, vc: number, v1: number, a: number): number {
  if (!(d > 0)) return 0;
  if (!(vc > 0)) return 0;
  if (!(a > 0)) return d / vc;
  const accelDist = (vc * vc - v0 * v0) / (2 * a);
  const decelDist = (vc * vc - v1 * v1) / (2 * a);
  if (accelDist + decelDist <= d) {
    return (vc - v0) / a + (vc - v1) / a + (d - accelDist - decelDist) / vc;
  }
  // No room to reach cruise speed: a triangle peaking at vp.
  const vp = Math.sqrt(Math.max(0, (2 * a * d + v0 * v0 + v1 * v1) / 2));
  if (vp <= Math.max(v0, v1)) return (2 * d) / (v0 + v1);
  return (vp - v0) / a + (vp - v1) / a;
}
