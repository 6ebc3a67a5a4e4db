// `ok`s that acknowledge none of our lines, recognised by what the firmware said just before them.
//
// Marlin sends one `ok` per line it processes, and a few more that belong to no line of ours:
// - after a rejected line it prints `Error:… Last Line: n`, `Resend: n+1` and `ok` in one breath (the
//   request line may arrive garbled, the error line alone still announces the `ok`; a few firmwares
//   send no `ok` at all, so it is only expected right away);
// - after a buffer flush the tail of a line that was still on its way arrives on its own, and a flipped
//   bit can turn a line's `N` into another letter: Marlin runs such garbage as an unnumbered command,
//   answers `echo:Unknown command: "<text>"` and then `ok`. When `<text>` is not the command we are
//   waiting for, that `ok` is the garbage's.
// Taking any of these for the acknowledgement of a real line would let the host believe the firmware
// has room it does not have. No timing is involved: over a real port, replies come in batches and write
// times are approximate, so "too early to be real" cannot be judged there.

export class StrayOks {
  private expected: { since: number; linesLeft: number } | null = null;

  constructor(private readonly waitMs: number) {}

  /** A reply announced an `ok` for no line of ours, at most `linesUntilOk` reply lines from now. */
  announce(now: number, linesUntilOk: number): void {
    this.expected = { since: now, linesLeft: linesUntilOk };
  }

  /** Called for every reply line, in order: true when this one is the announced `ok`. */
  claims(isOk: boolean, now: number): boolean {
    const e = this.expected;
    if (!e) return false;
    if (isOk) {
      this.expected = null;
      return now - e.since <= this.waitMs;
    }
    if (--e.linesLeft <= 0) this.expected = null;
    return false;
  }

  get pending(): boolean {
    return this.expected !== null;
  }

  forget(): void {
    this.expected = null;
  }
}

/** The command quoted in `Unknown command: "<text>"`, or null when the reply is too garbled to tell. */
export function unknownCommandText(reply: string): string | null {
  const m = /unknown command\s*:\s*"(.*)"\s*$/i.exec(reply);
  return m ? m[1]! : null;
}

/** Whether the firmware's echo of a command is our command (Marlin trims it and may change case). */
export function sameCommand(ours: string, echoed: string): boolean {
  const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toUpperCase();
  return norm(ours) === norm(echoed);
}
