// The data behind the live temperature chart: the last 30 minutes per heater, in fixed-size typed
// arrays (no growth, no garbage per sample), and min/max decimation so drawing costs the chart's width,
// not the number of samples.

import type { HeaterId, TemperatureReading } from '../printer/link-api.js';

export const chartWindowMs = 30 * 60 * 1000;

class HeaterTrace {
  readonly times: Float64Array;
  readonly current: Float32Array;
  readonly target: Float32Array;
  start = 0;
  count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.current = new Float32Array(capacity);
    this.target = new Float32Array(capacity);
  }

  private index(i: number): number {
    return (this.start + i) % this.capacity;
  }

  lastTime(): number {
    return this.count === 0 ? -Infinity : this.times[this.index(this.count - 1)];
  }

  add(at: number, current: number, target: number, resolutionMs: number): void {
    // Samples closer than the resolution replace the latest one: the trace stays bounded whatever
    // the report rate.
    if (this.count > 0 && at - this.lastTime() < resolutionMs && at >= this.lastTime()) {
      const i = this.index(this.count - 1);
      this.current[i] = current;
      this.target[i] = target;
      return;
    }
    const i = this.index(this.count);
    this.times[i] = at;
    this.current[i] = current;
    this.target[i] = target;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  dropBefore(cutoff: number): void {
    while (this.count > 0 && this.times[this.start] < cutoff) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  at(i: number): { t: number; current: number; target: number } {
    const j = this.index(i);
    return { t: this.times[j], current: this.current[j], target: this.target[j] };
  }
}

export interface ChartPoint {
  t: number;
  value: number;
}

export interface HeaterSeries {
  heater: HeaterId;
  /** Up to two points per bucket (min and max, in time order), so spikes survive decimation. */
  current: ChartPoint[];
  /** The target as a step line: one point per change. */
  target: ChartPoint[];
  latest: { current: number; target: number } | undefined;
}

export class TemperatureHistory {
  private readonly traces = new Map<HeaterId, HeaterTrace>();
  revision = 0;

  constructor(
    readonly windowMs = chartWindowMs,
    readonly resolutionMs = 1000,
  ) {}

  get heaters(): HeaterId[] {
    return [...this.traces.keys()];
  }

  /** Samples kept for a heater (never more than window / resolution + 1). */
  sampleCount(heater: HeaterId): number {
    return this.traces.get(heater)?.count ?? 0;
  }

  add(at: number, readings: readonly TemperatureReading[]): void {
    for (const reading of readings) {
      if (!Number.isFinite(reading.current)) continue;
      let trace = this.traces.get(reading.heater);
      if (!trace) {
        trace = new HeaterTrace(Math.ceil(this.windowMs / this.resolutionMs) + 2);
        this.traces.set(reading.heater, trace);
      }
      trace.add(at, reading.current, Number.isFinite(reading.target) ? reading.target : 0, this.resolutionMs);
      trace.dropBefore(at - this.windowMs);
    }
    this.revision++;
  }

  clear(): void {
    this.traces.clear();
    this.revision++;
  }

  /** Series decimated to at most `buckets` buckets over [now - window, now]. */
  series(now: number, buckets: number): HeaterSeries[] {
    const from = now - this.windowMs;
    const span = this.windowMs / Math.max(1, buckets);
    const out: HeaterSeries[] = [];
    for (const [heater, trace] of this.traces) {
      const current: ChartPoint[] = [];
      const target: ChartPoint[] = [];
      let bucket = -1;
      let min: ChartPoint | undefined;
      let max: ChartPoint | undefined;
      const flush = () => {
        if (!min || !max) return;
        if (min === max) current.push(min);
        else if (min.t <= max.t) current.push(min, max);
        else current.push(max, min);
      };
      for (let i = 0; i < trace.count; i++) {
        const s = trace.at(i);
        if (s.t < from) continue;
        const b = Math.min(buckets - 1, Math.floor((s.t - from) / span));
        if (b !== bucket) {
          flush();
          bucket = b;
          min = max = { t: s.t, value: s.current };
        } else {
          if (s.current < min!.value) min = { t: s.t, value: s.current };
          if (s.current > max!.value) max = { t: s.t, value: s.current };
        }
        const last = target[target.length - 1];
        if (!last || last.value !== s.target) target.push({ t: s.t, value: s.target });
      }
      flush();
      const lastSample = trace.count > 0 ? trace.at(trace.count - 1) : undefined;
      if (lastSample && target.length > 0) target.push({ t: lastSample.t, value: lastSample.target });
      out.push({ heater, current, target, latest: lastSample && { current: lastSample.current, target: lastSample.target } });
    }
    return out;
  }
}
