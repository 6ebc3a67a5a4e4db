// How firmwares word a rejected line and the request to send it again. Every host must find the line
// number in these, whatever the dialect, or it cannot resume after a single bad byte:
//
// - Marlin (and its forks: Prusa-Firmware, Creality and MKS builds, APrinter):
//   `Error:Line Number is not Last Line Number+1, Last Line: 99`, `Error:checksum mismatch, Last Line: 99`,
//   `Error:No Checksum with line number, Last Line: 99`, `Error:No Line Number with checksum, Last Line: 99`,
//   then `Resend: 100` and `ok`.
// - Repetier-Firmware: `Error:expected line 100 got 101` (only with error debugging on), `Error:Wrong checksum`,
//   `Error:Missing checksum`, `Error:Format error`, then an empty line, `Resend:100` and `ok`; lines that
//   arrive while it waits for the resend are answered `skip 101` and `ok`.
// - Smoothieware: `rs N100`, with no error line and no `ok`. Teacup: `rs N100 Expected checksum 57`.
//   RepRapFirmware: `rs 100`.
// - Klipper and other hosts' emulations report errors as `!! <text>`.
// Replies carry no checksum, so every pattern reads a number only where the wording puts it, and is
// written so that no two parts can take the same characters: a long garbled line is read in linear time.

/** What an `Error:`/`!!` body says about line numbers: null when it is not about them at all. */
export function readLineError(body: string): { lastLine?: number } | null {
  if (!/checksum|line number|last line|expected\s+line|format error/i.test(body)) return null;
  const last = /last line(?:\s*:)?\s*(\d+)/i.exec(body);
  if (last) {
    const n = Number(last[1]);
    return Number.isSafeInteger(n) ? { lastLine: n } : {};
  }
  // "expected line 100 got 101": the firmware's last good line is the one before the expected one.
  const expected = /expected\s+line(?:\s*:)?\s*(?:N\s*)?(\d+)/i.exec(body);
  if (expected) {
    const n = Number(expected[1]);
    return Number.isSafeInteger(n) && n >= 1 ? { lastLine: n - 1 } : {};
  }
  return {};
}

/**
 * Whether a line error says the line came out of sequence (Marlin's "Line Number is not Last Line
 * Number+1", Repetier's "expected line 100 got 101") rather than damaged: loose, as replies come garbled.
 */
export function isOutOfSequence(body: string): boolean {
  return /line\s*number\s*is\s*not|not\s*last\s*line|expected\s+line/i.test(body);
}

/**
 * The line a resend request asks for: `Resend: 100`, `Resend:100`, `rs 100`, `rs N100`, `rs N:100`,
 * `Resend: N:100`, also with a worded reason after the number (`rs N100 Expected checksum 57`).
 * Null when the text is not a request or its number is garbled.
 */
export function readResendRequest(text: string): number | null {
  const m = /^(?:resend|rs)(?:\s*:|\s)\s*(?:N\s*(?::\s*)?)?(\d+)(?:\s+[A-Za-z][^\n]*)?$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

/** Repetier's `skip 101`: a line ignored while a resend is awaited; an `ok` that acknowledges nothing follows. */
export function isSkipNotice(text: string): boolean {
  return /^skip\s+\d+$/i.test(text);
}
