// EMERGENCY_PARSER: Marlin watches every received byte in its serial interrupt, before the receive buffer,
// so these commands work even when the buffer is full or the firmware is blocked. It ignores checksums.

export type EmergencyCommand =
  | { code: 108 }
  | { code: 112 }
  | { code: 410 }
  | { code: 524 }
  | { code: 876; response: number | null };

const MAX_TRACKED = 32;
const PATTERN = /^(?:N\d+\s*)?M(108|112|410|524|876)(?![0-9])(?:[^*]*?S(\d+))?/;

export class EmergencyParser {
  private line = '';
  private overflow = false;

  /** Feeds one byte; returns a command when a line ends with one. */
  feed(byte: number): EmergencyCommand | null {
    if (byte === 10 || byte === 13) {
      const line = this.overflow ? '' : this.line.trim();
      this.line = '';
      this.overflow = false;
      return line ? recognise(line) : null;
    }
    if (this.line.length >= MAX_TRACKED) this.overflow = true;
    else this.line += String.fromCharCode(byte);
    return null;
  }

  reset(): void {
    this.line = '';
    this.overflow = false;
  }
}

function recognise(line: string): EmergencyCommand | null {
  const match = PATTERN.exec(line);
  if (!match) return null;
  const code = Number(match[1]);
  if (code === 876) return { code, response: match[2] === undefined ? null : Number(match[2]) };
  return { code } as EmergencyCommand;
}
