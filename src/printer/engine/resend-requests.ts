// What to make of a `Resend: n` from the firmware: a request for a line not sent yet, a stale duplicate
// from a line that was already on its way when the first request came, one request too many for the
// same line, or a request to honour.

export type ResendVerdict =
  | { kind: 'not-sent' }
  | { kind: 'duplicate' }
  | { kind: 'too-many'; times: number }
  | { kind: 'honour' };

export class ResendRequests {
  /** The request being served (its resent line not yet acknowledged): its line, and since when. */
  serving: { line: number; honouredAt: number } | null = null;
  /**
   * Stale requests still owed for a line, kept apart from `serving` because a probe clears that: with
   * a large receive buffer dozens of lines are in flight behind a rejected one, the firmware rejects
   * each of them with the same `Resend:`, and a garbled one among them sets off a probe. The repeats
   * still arrive after it (and one may be read as the probe's answer); counting them as new resends
   * ended prints after a handful of bad bytes. Nor does an `ok` taken for the resent line end the
   * allowance: the firmware answers in order, so a repeat after it means that `ok` belonged to an
   * older line. Only lines sent after the requested one can produce repeats, so the allowance is
   * bounded, and each failure of the resent line itself still counts towards the per-line limit.
   */
  private stale: { line: number; remaining: number } | null = null;
  private readonly counts = new Map<number, number>();

  constructor(private readonly maxPerLine: number) {}

  /**
   * `authoritative`: the answer to our own probe, which is never ignored (it may still be one of the
   * stale repeats, so it is honoured without counting while some are owed).
   * `outOfSequence`: the firmware named the request's cause as a line out of sequence ("Line Number is
   * not Last Line Number+1"), so the line it got was not the requested one: while that line is being
   * resent, such a request comes from a line that was behind it, never from the resent copy (whose
   * failure is a checksum or format error, and still counts). More of those can come than were known
   * to be in flight: lines dropped for an earlier resend may still sit in the firmware's buffer.
   */
  judge(line: number, lastSent: number, authoritative: boolean, outOfSequence = false): ResendVerdict {
    if (line > lastSent) return { kind: 'not-sent' };
    const owed = !!this.stale && this.stale.line === line && this.stale.remaining > 0;
    if (owed && this.stale) this.stale.remaining--;
    if (!authoritative && this.serving && this.serving.line === line && (owed || outOfSequence)) return { kind: 'duplicate' };
    if (owed) return authoritative ? { kind: 'honour' } : { kind: 'duplicate' };
    const times = (this.counts.get(line) ?? 0) + 1;
    this.counts.set(line, times);
    if (times > this.maxPerLine) return { kind: 'too-many', times: times - 1 };
    return { kind: 'honour' };
  }

  /** Serving `line` now; `inFlightAfter` lines sent after it may each still produce a stale request. */
  serve(line: number, inFlightAfter: number, now: number): void {
    // Served again before it was acknowledged: the repeats still owed from earlier lines come on top.
    const owed = this.stale && this.stale.line === line ? this.stale.remaining : 0;
    this.stale = { line, remaining: owed + inFlightAfter };
    this.serving = { line, honouredAt: now };
  }

  /** A line was acknowledged: once the served line (or a later one) is, the request is done. */
  acknowledged(n: number): boolean {
    if (this.serving && n >= this.serving.line) {
      this.serving = null;
      return true;
    }
    return false;
  }

  /** Line numbering started over. */
  reset(): void {
    this.serving = null;
    this.stale = null;
    this.counts.clear();
  }
}
