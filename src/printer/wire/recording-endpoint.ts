// A bare host side for tests and measurements: writes what it is given and records every line it
// receives with the time it arrived. It has no protocol of its own.

import type { SerialEndpoint } from './serial-endpoint.js';

export interface ReceivedLine {
  at: number;
  text: string;
}

const encoder = new TextEncoder();

export class RecordingEndpoint implements SerialEndpoint {
  readonly lines: ReceivedLine[] = [];
  /** Called for each complete line, e.g. to answer it. */
  onLine: ((line: ReceivedLine) => void) | null = null;
  private partial = '';
  private pending: Uint8Array[] = [];
  private wakeAt: number | null = null;
  private wakeAction: ((now: number) => void) | null = null;

  /** Queues text to write (add the `\n` yourself). */
  write(text: string | Uint8Array): void {
    this.pending.push(typeof text === 'string' ? encoder.encode(text) : text);
  }

  /** Runs `action` once at `at` on the virtual clock. */
  wakeUpAt(at: number, action: (now: number) => void): void {
    this.wakeAt = at;
    this.wakeAction = action;
  }

  /** Lines received so far that match. */
  matching(pattern: RegExp): ReceivedLine[] {
    return this.lines.filter((line) => pattern.test(line.text));
  }

  receive(bytes: Uint8Array, now: number): void {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === 10) {
        const line = { at: now, text: this.partial.replace(/\r$/, '') };
        this.partial = '';
        this.lines.push(line);
        this.onLine?.(line);
      } else {
        this.partial += String.fromCharCode(byte);
      }
    }
  }

  tick(now: number): void {
    if (this.wakeAt !== null && now >= this.wakeAt) {
      const action = this.wakeAction;
      this.wakeAt = null;
      this.wakeAction = null;
      action?.(now);
    }
  }

  takeWrites(): Uint8Array[] {
    const writes = this.pending;
    this.pending = [];
    return writes;
  }

  nextWakeAt(): number | null {
    return this.wakeAt;
  }
}
