// Marlin's side of the serial line: the receive ring buffer (bytes arriving while it is full are lost),
// the line buffer (MAX_CMD_SIZE, the rest of a long line silently dropped, `;` comments skipped), and the
// line-number and checksum rules of GCodeQueue::get_serial_commands().

import type { RejectReason } from './firmware-dialect.js';

export type LineVerdict =
  | { kind: 'command'; line: number | null; text: string; raw: string; setsLineNumber: number | null }
  | { kind: 'rejected'; error: string; reason: RejectReason; lastLine: number; got: number; raw: string }
  | { kind: 'duplicate'; line: number; raw: string };

export const ERR_LINE_NUMBER = 'Line Number is not Last Line Number+1, Last Line: ';
export const ERR_CHECKSUM = 'checksum mismatch, Last Line: ';
export const ERR_NO_CHECKSUM = 'No Checksum with line number, Last Line: ';

export class SerialLineReader {
  /** Last accepted line number (Marlin's `last_N`). */
  lastLine = 0;
  bytesLost = 0;
  private readonly ring: Uint8Array;
  private ringStart = 0;
  private ringLength = 0;
  private readonly line: Uint8Array;
  private lineLength = 0;
  private inComment = false;

  constructor(
    readonly rxBufferSize: number,
    readonly maxCommandSize: number,
    private readonly dropRecentDuplicates: boolean,
    /** M110 takes its number from the `N` prefix (Repetier, Smoothieware) rather than its parameter. */
    private readonly m110FromPrefix = false,
  ) {
    this.ring = new Uint8Array(rxBufferSize);
    this.line = new Uint8Array(maxCommandSize);
  }

  get buffered(): number {
    return this.ringLength;
  }

  /** A byte from the UART; false if the receive buffer was full and it was lost. */
  push(byte: number): boolean {
    if (this.ringLength >= this.ring.length) {
      this.bytesLost++;
      return false;
    }
    this.ring[(this.ringStart + this.ringLength) % this.ring.length] = byte;
    this.ringLength++;
    return true;
  }

  /** After a rejected line Marlin throws away everything still in the receive buffer. */
  flush(): number {
    const discarded = this.ringLength;
    this.ringStart = 0;
    this.ringLength = 0;
    this.lineLength = 0;
    this.inComment = false;
    return discarded;
  }

  /** Power-on state. */
  reset(): void {
    this.flush();
    this.lastLine = 0;
  }

  /**
   * Reads buffered bytes until one line is complete and judges it, or returns null when the buffer runs
   * out first (the partial line is kept). `forceReject` turns a valid numbered line into a checksum
   * error, `forceOutOfSequence` into a line-number error (fault injection: spurious resend requests).
   */
  readLine(forceReject = false, forceOutOfSequence = false): LineVerdict | null {
    while (this.ringLength > 0) {
      const byte = this.ring[this.ringStart];
      this.ringStart = (this.ringStart + 1) % this.ring.length;
      this.ringLength--;
      if (byte === 10 || byte === 13) {
        this.inComment = false;
        if (this.lineLength === 0) continue;
        const raw = latin1(this.line, this.lineLength);
        this.lineLength = 0;
        return this.judge(raw, forceReject, forceOutOfSequence);
      }
      if (this.inComment) continue;
      if (byte === 59 /* ; */) {
        this.inComment = true;
        continue;
      }
      if (this.lineLength < this.maxCommandSize - 1) this.line[this.lineLength++] = byte;
    }
    return null;
  }

  private judge(raw: string, forceReject: boolean, forceOutOfSequence: boolean): LineVerdict | null {
    const command = raw.replace(/^ +/, '');
    if (command.length === 0) return null;
    if (command[0] !== 'N') {
      return { kind: 'command', line: null, text: commandText(command), raw, setsLineNumber: null };
    }
    let numberAt = 0;
    const isM110 = command.includes('M110');
    if (isM110 && !this.m110FromPrefix) {
      const second = command.indexOf('N', 4);
      if (second >= 0) numberAt = second;
    }
    const lineNumber = strtol(command, numberAt + 1);
    const got = strtol(command, 1);
    if ((lineNumber !== this.lastLine + 1 || forceOutOfSequence) && !isM110) {
      if (this.dropRecentDuplicates && lineNumber >= this.lastLine - 1 && lineNumber <= this.lastLine) {
        return { kind: 'duplicate', line: lineNumber, raw };
      }
      return { kind: 'rejected', error: ERR_LINE_NUMBER, reason: 'line-number', lastLine: this.lastLine, got, raw };
    }
    const star = command.lastIndexOf('*');
    if (star < 0) return { kind: 'rejected', error: ERR_NO_CHECKSUM, reason: 'no-checksum', lastLine: this.lastLine, got, raw };
    let checksum = 0;
    for (let i = 0; i < star; i++) checksum ^= command.charCodeAt(i);
    if (strtol(command, star + 1) !== checksum || forceReject) {
      return { kind: 'rejected', error: ERR_CHECKSUM, reason: 'checksum', lastLine: this.lastLine, got, raw };
    }
    this.lastLine = lineNumber;
    const ownNumber = strtol(command, 1);
    return {
      kind: 'command',
      line: ownNumber,
      text: commandText(command),
      raw,
      setsLineNumber: isM110 ? lineNumber : null,
    };
  }
}

/** What Marlin's parser executes: the line without its `N` prefix, cut at the first `*`. */
function commandText(command: string): string {
  let text = command;
  const prefix = /^N[-+]?\d*\s*/.exec(text);
  if (prefix) text = text.slice(prefix[0].length);
  const star = text.indexOf('*');
  if (star >= 0) text = text.slice(0, star);
  return text.trim();
}

/** C's strtol(s, NULL, 10): leading spaces, optional sign, digits; 0 when there are none. */
function strtol(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  let sign = 1;
  if (text[i] === '-' || text[i] === '+') {
    if (text[i] === '-') sign = -1;
    i++;
  }
  let value = 0;
  while (i < text.length) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    i++;
  }
  return sign * value;
}

function latin1(bytes: Uint8Array, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
