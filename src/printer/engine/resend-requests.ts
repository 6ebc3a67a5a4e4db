// What to make of a `Resend: n` from the firmware: a request for a line not sent yet, a stale duplicate
// from a line that was already on its way when the first request came, one request too many for the
// same line, or a request to honour.

export type ResendVerdict =
  | { kind: 'not-sent' }
  | { kind: 'duplicate' }
  | { kind: 'too-many'; times: number }
  | { kind: 'honour' };

export class ResendRequests {
  /** The request being served: its line, how many stale duplicates may still come, and since when. */
  serving: { line: number; duplicateBudget: number; honouredAt: number } | null = null;
  private readonly counts = new Map<number, number>();

  constructor(private readonly maxPerLine: number) {}

  /**
   * `authoritative`: the answer to our own probe, which is never a stale duplicate.
   */
  judge(line: number, lastSent: number, authoritative: boolean): ResendVerdict {
    if (line > lastSent) return { kind: 'not-sent' };
    if (!authoritative && this.serving && this.serving.line === line && this.serving.duplicateBudget > 0) {
      this.serving.duplicateBudget--;
      return { kind: 'duplicate' };
    }
    const times = (this.counts.get(line) ?? 0) + 1;
    this.counts.set(line, times);
    if (times > this.maxPerLine) return { kind: 'too-many', times: times - 1 };
    return { kind: 'honour' };
  }

  /** Serving `line` now; `inFlightAfter` lines sent after it may each still produce a stale request. */
  serve(line: number, inFlightAfter: number, now: number): void {
    this.serving = { line, duplicateBudget: inFlightAfter, honouredAt: now };
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
    this.counts.clear();
  }
}
