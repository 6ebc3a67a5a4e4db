// The rule that keeps a print from staying "printing" for ever: while lines are owed an answer, the
// firmware's acknowledgements must move forward within a bounded time. Replies that do not move them
// (errors the host cannot place, `wait`, temperature reports) do not count; only a heating wait, `busy:`
// keepalives and a paused print legitimately hold them still, and the engine reports those as they
// happen. When the bound passes, the engine asks the firmware where it stands with a probe whose answer
// it can verify; if that brings no progress within the recovery time either, the print is stopped.

export interface StallBounds {
  /** No acknowledged progress for this long (outside heating waits, `busy:` and pauses) is a stall. */
  stallMs: number;
  /** After the probe, progress must resume within this long, or the print is stopped. */
  recoveryMs: number;
}

/**
 * 60 s: twice the 30 s a silent firmware is allowed before the silence probes start, so a printer that
 * says nothing is still handled (and reported) the way it always was, and well beyond the longest gap
 * between acknowledgements of a healthy print (a long slow move holding a full planner takes seconds).
 * 20 s to recover: a probe is answered within a few seconds and the resent lines right after.
 */
export const DEFAULT_STALL_BOUNDS: StallBounds = { stallMs: 60_000, recoveryMs: 20_000 };

export type StallStep = 'probe' | 'give-up';

export class ProgressWatchdog {
  /** Start of the current stretch without progress, or null when not watching. */
  private since: number | null = null;
  private probedAt: number | null = null;

  constructor(private readonly bounds: StallBounds) {}

  get watching(): boolean {
    return this.since !== null;
  }

  /** Since when nothing has moved, or null. */
  get stalledSince(): number | null {
    return this.since;
  }

  start(now: number): void {
    this.since = now;
    this.probedAt = null;
  }

  stop(): void {
    this.since = null;
    this.probedAt = null;
  }

  /**
   * A line was acknowledged, or the firmware is legitimately holding still (heating wait, `busy:`,
   * paused, nothing owed): the stretch starts over.
   */
  progress(now: number): void {
    if (this.since === null) return;
    this.since = now;
    this.probedAt = null;
  }

  /** When the next step is due, given the bound for what is in flight. */
  deadline(stallMs = this.bounds.stallMs): number | null {
    if (this.since === null) return null;
    return this.probedAt !== null ? this.probedAt + this.bounds.recoveryMs : this.since + stallMs;
  }

  /** What to do now: probe once when the bound has passed, give up when the probe brought nothing. */
  check(now: number, stallMs = this.bounds.stallMs): StallStep | null {
    if (this.since === null) return null;
    if (this.probedAt === null) {
      if (now < this.since + stallMs) return null;
      this.probedAt = now;
      return 'probe';
    }
    return now >= this.probedAt + this.bounds.recoveryMs ? 'give-up' : null;
  }
}
