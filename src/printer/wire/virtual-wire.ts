// Two SerialEndpoints joined by a byte-accurate wire, run on a virtual clock: time jumps from one event
// (a byte arriving, an endpoint's wake-up) to the next. No real timers, so a 100,000-line job takes seconds.
//
// Delivery is exact where it matters: a receiver gets bytes at the arrival time of the last byte in the
// chunk, and a chunk never spans a line end or another event (either endpoint waking, bytes in the other
// direction), so nothing could have reacted between the first and last byte of a chunk.

import type { SerialEndpoint } from './serial-endpoint.js';
import { WireDirection, type WireDirectionOptions, type WireDirectionStats } from './wire-direction.js';

export interface VirtualWireOptions {
  /** Default baud for both directions. Default 115200. */
  baud?: number;
  hostToPrinter?: WireDirectionOptions;
  printerToHost?: WireDirectionOptions;
  /** Seed of the line noise (each direction derives its own stream). Default 1. */
  seed?: number;
  startAt?: number;
  /** Sees every chunk handed to an endpoint (debugging, traces). */
  onDeliver?: (to: 'host' | 'printer', bytes: Uint8Array, at: number) => void;
}

export type RunOutcome =
  | { reason: 'predicate'; at: number }
  | { reason: 'time'; at: number }
  /** Nothing left to happen: no bytes in flight and neither endpoint wants a tick. */
  | { reason: 'idle'; at: number }
  | { reason: 'step-limit'; at: number };

export interface RunLimits {
  /** With a predicate: give up at this time. */
  until?: number;
  /** Give up after this many events (a guard against endpoints that never settle). */
  maxSteps?: number;
}

const SAME_TIME_GUARD = 100_000;

export class VirtualWire {
  readonly toPrinter: WireDirection;
  readonly toHost: WireDirection;
  private clock: number;
  private sameTimeSteps = 0;
  private lastStepAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly host: SerialEndpoint,
    readonly printer: SerialEndpoint,
    private readonly options: VirtualWireOptions = {},
  ) {
    const seed = options.seed ?? 1;
    const baud = options.baud ?? 115200;
    this.clock = options.startAt ?? 0;
    this.toPrinter = new WireDirection({ baud, ...options.hostToPrinter }, 'delay', seed, 'wire:host→printer', this.clock);
    this.toHost = new WireDirection({ baud, ...options.printerToHost }, 'timer', seed, 'wire:printer→host', this.clock);
  }

  get now(): number {
    return this.clock;
  }

  get stats(): { toPrinter: WireDirectionStats; toHost: WireDirectionStats } {
    return { toPrinter: this.toPrinter.stats, toHost: this.toHost.stats };
  }

  /** The host-side limit on lines per second for lines of `bytesPerLine`: baud / 10 / bytes. */
  wireLimitLinesPerSecond(bytesPerLine: number): number {
    return 1000 / (this.toPrinter.byteTimeMs * bytesPerLine);
  }

  /**
   * Runs until the time `stop`, or until `stop()` is true (checked after every event). The predicate may
   * also drive an endpoint (feed a job, send a command): bytes it causes to be written leave at once.
   */
  runUntil(stop: number | (() => boolean), limits: RunLimits = {}): RunOutcome {
    const predicate = typeof stop === 'function' ? stop : null;
    const deadline = typeof stop === 'number' ? stop : (limits.until ?? Number.POSITIVE_INFINITY);
    const maxSteps = limits.maxSteps ?? Number.POSITIVE_INFINITY;
    this.collect();
    for (let steps = 0; ; steps++) {
      if (predicate?.()) return { reason: 'predicate', at: this.clock };
      if (steps >= maxSteps) return { reason: 'step-limit', at: this.clock };
      // The predicate may have fed an endpoint (job data, a command): what it wrote goes out now.
      if (predicate) this.collect();
      const hostWake = this.host.nextWakeAt() ?? Infinity;
      const printerWake = this.printer.nextWakeAt() ?? Infinity;
      const toPrinterAt = this.toPrinter.nextAt() ?? Infinity;
      const toHostAt = this.toHost.nextAt() ?? Infinity;
      const next = Math.min(hostWake, printerWake, toPrinterAt, toHostAt);
      if (next > deadline) {
        if (Number.isFinite(deadline)) this.clock = Math.max(this.clock, deadline);
        return { reason: Number.isFinite(deadline) ? 'time' : 'idle', at: this.clock };
      }
      if (next === Infinity) return { reason: 'idle', at: this.clock };
      const t = Math.max(next, this.clock);
      this.guardProgress(t);
      if (toPrinterAt <= t) {
        const limit = Math.min(hostWake, printerWake, toHostAt, deadline);
        this.deliver(this.toPrinter, this.printer, 'printer', t, limit);
      } else if (toHostAt <= t) {
        const limit = Math.min(hostWake, printerWake, toPrinterAt, deadline);
        this.deliver(this.toHost, this.host, 'host', t, limit);
      } else {
        this.clock = t;
        if (printerWake <= t) this.printer.tick(t);
        if (hostWake <= t) this.host.tick(t);
      }
      this.collect();
    }
  }

  /** Runs for `ms` of virtual time. */
  runFor(ms: number): RunOutcome {
    return this.runUntil(this.clock + ms);
  }

  /** Time of the next event, or null: lets a real-time driver sleep until then. */
  nextEventAt(): number | null {
    this.collect();
    const next = Math.min(
      this.host.nextWakeAt() ?? Infinity,
      this.printer.nextWakeAt() ?? Infinity,
      this.toPrinter.nextAt() ?? Infinity,
      this.toHost.nextAt() ?? Infinity,
    );
    return Number.isFinite(next) ? next : null;
  }

  /** Drops every byte in flight (the cable was pulled). */
  cut(): void {
    this.toPrinter.clear();
    this.toHost.clear();
  }

  private deliver(direction: WireDirection, to: SerialEndpoint, name: 'host' | 'printer', t: number, limit: number): void {
    const chunk = direction.take(t, limit, true);
    if (!chunk) return;
    this.clock = Math.max(this.clock, chunk.time);
    this.options.onDeliver?.(name, chunk.bytes, this.clock);
    to.receive(chunk.bytes, this.clock);
  }

  private collect(): void {
    for (const bytes of this.host.takeWrites()) if (bytes.length) this.toPrinter.send(bytes, this.clock);
    for (const bytes of this.printer.takeWrites()) if (bytes.length) this.toHost.send(bytes, this.clock);
  }

  private guardProgress(t: number): void {
    if (t === this.lastStepAt) {
      if (++this.sameTimeSteps > SAME_TIME_GUARD) {
        throw new Error(
          `The serial link made no progress at ${t} ms: an endpoint keeps asking for a tick it does not use`,
        );
      }
    } else {
      this.lastStepAt = t;
      this.sameTimeSteps = 0;
    }
  }
}
