// Lines on their way to the firmware and not yet acknowledged, and the limits on how many may be:
// one at a time in safe mode; in fast mode the bytes of all un-acked lines must fit the firmware's
// receive buffer (character counting) and, with ADVANCED_OK, the count must fit its free command slots.

import type { CommandTiming } from './command-timing.js';
import type { JobCommand } from './job-streamer.js';

export type LineOrigin = 'job' | 'host' | 'user' | 'poll';

export interface InFlightLine {
  /** Line number, or null for an unnumbered out-of-band line. */
  n: number | null;
  /** Bytes still counted against the receive buffer (zeroed once the firmware has parsed the line). */
  bytes: number;
  command: string;
  origin: LineOrigin;
  timing: CommandTiming;
  marker?: string;
  job?: JobCommand;
  /** M110: nothing else may be sent until it is acknowledged. */
  barrier?: boolean;
  sentAt: number;
  /** `takeWrites` calls before it was written: it has reached the transport once that count has grown. */
  epoch?: number;
  /** Only on a link with exact timing: when its last byte reaches the firmware, no `ok` for it earlier. */
  arrivesAt?: number;
}

/** What the resend history keeps of a line: everything but its send-time accounting. */
export type RememberedLine = Omit<InFlightLine, 'sentAt' | 'bytes' | 'epoch' | 'arrivesAt'>;

export class PlannerSlots {
  /** Lines allowed in flight according to the last ADVANCED_OK, or null without ADVANCED_OK. */
  private limit: number | null = null;

  /** `ok N.. P.. B<free>` arrived with `inFlightAfter` lines still un-acked. */
  report(commandFree: number, inFlightAfter: number): void {
    // The firmware still has room for `commandFree` more commands besides the ones already queued,
    // and the lines still in flight are either queued already or waiting in the receive buffer.
    this.limit = commandFree + inFlightAfter;
  }

  allows(inFlightCount: number): boolean {
    if (this.limit === null || inFlightCount === 0) return true;
    return inFlightCount < this.limit;
  }

  get known(): boolean {
    return this.limit !== null;
  }

  reset(): void {
    this.limit = null;
  }
}

export class SendWindow {
  readonly lines: InFlightLine[] = [];
  private countedBytes = 0;
  readonly slots = new PlannerSlots();

  constructor(public characterLimit: number) {}

  get bytesInFlight(): number {
    return this.countedBytes;
  }

  get size(): number {
    return this.lines.length;
  }

  /** Whether a line of `bytes` may go now in the given mode. */
  fits(bytes: number, mode: 'safe' | 'fast'): boolean {
    if (this.lines.length === 0) return true;
    if (this.lines.some((l) => l.barrier)) return false;
    if (mode === 'safe') return false;
    // The oldest un-acknowledged line is the one the firmware is executing (its `ok` comes when it is
    // done): it has left the receive buffer, so only the lines after it compete for that space.
    const executing = this.lines[0]!.bytes;
    return this.countedBytes - executing + bytes <= this.characterLimit && this.slots.allows(this.lines.length);
  }

  push(line: InFlightLine): void {
    this.lines.push(line);
    this.countedBytes += line.bytes;
  }

  /** The oldest line was acknowledged. */
  shift(): InFlightLine | undefined {
    const l = this.lines.shift();
    if (l) this.countedBytes -= l.bytes;
    return l;
  }

  /**
   * A resend request for `from`: the firmware flushed its receive buffer, so lines from `from` on are
   * gone; lines before it were parsed (their bytes no longer occupy the buffer) and their `ok`s may still
   * come, unless `dropOlder` says the firmware was silent long enough that none will.
   * Returns how many lines after `from` were dropped (each may still cause a stale duplicate request).
   */
  resetFrom(from: number, dropOlder: boolean): { droppedAfter: number; dropped: InFlightLine[] } {
    const kept: InFlightLine[] = [];
    const dropped: InFlightLine[] = [];
    let droppedAfter = 0;
    let seenFrom = false;
    for (const l of this.lines) {
      const isNew = l.n === null ? seenFrom : l.n >= from;
      if (l.n !== null && l.n >= from) seenFrom = true;
      if (isNew || dropOlder) {
        dropped.push(l);
        if (l.n !== null && l.n > from) droppedAfter++;
      } else kept.push({ ...l, bytes: 0 });
    }
    this.lines.length = 0;
    this.lines.push(...kept);
    this.countedBytes = 0;
    return { droppedAfter, dropped };
  }

  clear(): InFlightLine[] {
    const all = this.lines.splice(0);
    this.countedBytes = 0;
    return all;
  }

  /** The numbered line with ADVANCED_OK's `N`, if it is in flight. */
  indexOfLine(n: number): number {
    return this.lines.findIndex((l) => l.n === n);
  }
}

/** Framed lines kept for resends, several times deeper than any window. */
export class ResendHistory {
  private readonly byNumber = new Map<number, { framed: string; line: RememberedLine }>();

  constructor(private readonly capacity: number) {}

  remember(n: number, framed: string, line: RememberedLine): void {
    this.byNumber.delete(n);
    this.byNumber.set(n, { framed, line });
    if (this.byNumber.size > this.capacity) {
      const oldest = this.byNumber.keys().next().value as number;
      this.byNumber.delete(oldest);
    }
  }

  get(n: number): { framed: string; line: RememberedLine } | undefined {
    return this.byNumber.get(n);
  }

  clear(): void {
    this.byNumber.clear();
  }
}
