// A small seeded generator (mulberry32): the simulator and the wire must replay identically from a seed,
// so no fault or noise may come from Math.random().

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A derived, independent stream: changing one fault rate must not reshuffle the others. */
  static derive(seed: number, purpose: string): SeededRandom {
    let hash = (seed ^ 0x9e3779b9) >>> 0;
    for (let i = 0; i < purpose.length; i++) {
      hash = Math.imul(hash ^ purpose.charCodeAt(i), 0x85ebca6b) >>> 0;
      hash ^= hash >>> 13;
    }
    return new SeededRandom(hash);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `rate`. */
  chance(rate: number): boolean {
    return rate > 0 && this.next() < rate;
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponentially distributed wait with the given mean: spacing of random events in time. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}
