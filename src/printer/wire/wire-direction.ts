// One direction of a USB-serial link, byte-accurate in time:
// - the UART sends one byte per 10 bit times (start, 8 data, stop) at the baud rate, back to back;
// - `delay` latency: bytes leave the host as a USB transfer that reaches the adapter `latencyMs` later;
// - `timer` latency (what an FTDI or CH340 adapter does to received bytes): the adapter holds bytes until
//   its latency timer, started by the first byte of a batch, expires or its USB packet fills, then the
//   whole batch reaches the host at once. Replies therefore arrive in batches, as on real hardware;
// - line noise (bit flips, lost bytes) from a seeded stream.

import { ByteFaults, type ByteFaultOptions } from './byte-faults.js';
import { TimedByteQueue } from './timed-byte-queue.js';

export interface WireDirectionOptions {
  /** Bits per second; each byte costs 10 bits. Default 115200. */
  baud?: number;
  /** USB latency in ms. Default 0. */
  latencyMs?: number;
  /** `timer`: adapter latency timer batching (printer → host default); `delay`: fixed delay (host → printer default). */
  latencyModel?: 'timer' | 'delay';
  /** USB packet payload of the adapter: a full packet goes out before the timer (FTDI: 62, CH340: 32). Default 62. */
  packetSize?: number;
  faults?: ByteFaultOptions;
}

export interface WireDirectionStats {
  bytesSent: number;
  bytesDelivered: number;
  corrupted: number;
  dropped: number;
}

export class WireDirection {
  readonly byteTimeMs: number;
  readonly latencyMs: number;
  readonly latencyModel: 'timer' | 'delay';
  readonly packetSize: number;
  readonly stats: WireDirectionStats = { bytesSent: 0, bytesDelivered: 0, corrupted: 0, dropped: 0 };
  private readonly inFlight = new TimedByteQueue();
  private readonly noise: ByteFaults;
  private uartFreeAt: number;
  private batch: number[] = [];
  private batchDeadline = Number.POSITIVE_INFINITY;

  constructor(options: WireDirectionOptions, defaultModel: 'timer' | 'delay', seed: number, purpose: string, startAt = 0) {
    const baud = options.baud ?? 115200;
    if (!(baud > 0)) throw new RangeError(`baud must be positive, got ${baud}`);
    this.byteTimeMs = 10_000 / baud;
    this.latencyMs = options.latencyMs ?? 0;
    this.latencyModel = options.latencyModel ?? defaultModel;
    this.packetSize = options.packetSize ?? 62;
    this.noise = new ByteFaults({ seed, ...options.faults }, purpose);
    this.uartFreeAt = startAt;
  }

  /** Bytes written at `now` by the sending side. */
  send(bytes: Uint8Array, now: number): void {
    this.stats.bytesSent += bytes.length;
    const kept: number[] = [];
    const noisy = this.noise.apply(bytes, kept);
    this.stats.corrupted = this.noise.counters.corrupted;
    this.stats.dropped = this.noise.counters.dropped;
    const startAt = this.latencyModel === 'delay' ? now + this.latencyMs : now;
    let uart = Math.max(startAt, this.uartFreeAt);
    let k = 0;
    for (let i = 0; i < bytes.length; i++) {
      // A lost byte still took its time on the line.
      uart += this.byteTimeMs;
      if (kept[k] !== i) continue;
      const byte = noisy[k++];
      if (this.latencyModel === 'delay') this.inFlight.push(byte, uart);
      else this.intoAdapter(byte, uart);
    }
    this.uartFreeAt = uart;
  }

  /** When the next byte reaches the far end, or null. */
  nextAt(): number | null {
    const queued = this.inFlight.nextTime;
    if (this.batch.length === 0) return queued;
    return queued === null ? this.batchDeadline : Math.min(queued, this.batchDeadline);
  }

  /** Bytes arriving no later than `limit` (at least those due at `now`), up to a line end when `splitLines`. */
  take(now: number, limit: number, splitLines: boolean): { bytes: Uint8Array; time: number } | null {
    if (this.batch.length > 0 && this.batchDeadline <= now) this.flushBatch(this.batchDeadline);
    const chunk = this.inFlight.take(Math.max(now, limit), splitLines);
    if (chunk) this.stats.bytesDelivered += chunk.bytes.length;
    return chunk;
  }

  /** Everything in flight is gone (the port closed). */
  clear(): void {
    this.inFlight.clear();
    this.batch = [];
    this.batchDeadline = Number.POSITIVE_INFINITY;
  }

  private intoAdapter(byte: number, arrivesAt: number): void {
    if (this.batch.length > 0 && arrivesAt > this.batchDeadline) this.flushBatch(this.batchDeadline);
    if (this.batch.length === 0) this.batchDeadline = arrivesAt + this.latencyMs;
    this.batch.push(byte);
    if (this.batch.length >= this.packetSize || this.latencyMs <= 0) this.flushBatch(arrivesAt);
  }

  private flushBatch(at: number): void {
    for (const byte of this.batch) this.inFlight.push(byte, at);
    this.batch = [];
    this.batchDeadline = Number.POSITIVE_INFINITY;
  }
}
