// The terminal's scrollback: a fixed-size ring so a 30-hour print cannot grow memory without bound.
// Filtering happens on read, so toggling a filter shows lines that arrived while it was on.

import type { LogLine } from '../printer/link-api.js';

export interface TerminalFilters {
  hideTemperatures: boolean;
  hidePlainOks: boolean;
}

// ` T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0`, `ok T:…`, `T0:…`, `B:…` alone, with `W:` while waiting.
const temperatureReport = /^(ok\s+)?(T\d*|B|C):\s*-?\d+(\.\d+)?\s*\/\s*-?\d+(\.\d+)?/;
// `ok`, or ADVANCED_OK `ok N12 P15 B3` with nothing a person needs to read.
const plainOk = /^ok(\s+N\d+)?(\s+P\d+)?(\s+B\d+)?\s*$/;
const temperaturePoll = /^(N\d+\s+)?M105\b/;

export function isTemperatureReport(line: LogLine): boolean {
  const text = line.text.trim();
  if (line.direction === 'sent') return temperaturePoll.test(text);
  return line.direction === 'received' && temperatureReport.test(text);
}

export function isPlainOk(line: LogLine): boolean {
  return line.direction === 'received' && plainOk.test(line.text.trim());
}

export class TerminalLog {
  private readonly ring: (LogLine | undefined)[];
  private start = 0;
  private count = 0;
  /** Bumped on every change, so a view can tell cheaply whether to re-render. */
  revision = 0;
  /** Lines pushed out of the ring since the log was created. */
  dropped = 0;

  constructor(readonly capacity = 5000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('The terminal needs room for at least one line.');
    this.ring = new Array<LogLine | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(lines: readonly LogLine[]): void {
    for (const line of lines) {
      const slot = (this.start + this.count) % this.capacity;
      this.ring[slot] = line;
      if (this.count < this.capacity) this.count++;
      else {
        this.start = (this.start + 1) % this.capacity;
        this.dropped++;
      }
    }
    if (lines.length > 0) this.revision++;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.revision++;
  }

  /** All kept lines, oldest first. */
  all(): LogLine[] {
    const out: LogLine[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.ring[(this.start + i) % this.capacity] as LogLine);
    return out;
  }

  /** Kept lines that pass the filters, oldest first; `limit` keeps only the newest ones. */
  visible(filters: TerminalFilters, limit = Infinity): LogLine[] {
    const out: LogLine[] = [];
    for (let i = this.count - 1; i >= 0 && out.length < limit; i--) {
      const line = this.ring[(this.start + i) % this.capacity] as LogLine;
      if (filters.hideTemperatures && isTemperatureReport(line)) continue;
      if (filters.hidePlainOks && isPlainOk(line)) continue;
      out.push(line);
    }
    return out.reverse();
  }

  /** A plain-text transcript, one line each: time, direction arrow, text. */
  export(filters: TerminalFilters = { hideTemperatures: false, hidePlainOks: false }): string {
    return this.visible(filters).map(formatLogLine).join('\n') + (this.count > 0 ? '\n' : '');
  }
}

const arrows: Record<LogLine['direction'], string> = { sent: '>>', received: '<<', info: '--', error: '!!' };

export function formatLogLine(line: LogLine): string {
  return `${new Date(line.at).toISOString()} ${arrows[line.direction]} ${line.text}`;
}
