// Shapes the engine's event stream for the page: state changes, errors and prompts go at once;
// temperatures at most ~1 Hz, job progress and position at most ~4 Hz (latest value wins), and log lines
// in batches, capped so a slow page never makes the worker hoard memory.

import type { LogLine, PrinterEvent } from './link-api.js';

export interface BatcherOptions {
  temperatureIntervalMs?: number;
  progressIntervalMs?: number;
  logIntervalMs?: number;
  /** Log lines kept per batch; the oldest are dropped (with a note) beyond it. */
  maxLogLines?: number;
}

type Throttled = 'temperatures' | 'job' | 'position';

export class EventBatcher {
  private readonly intervals: Record<Throttled | 'log', number>;
  private readonly maxLogLines: number;
  private urgent: PrinterEvent[] = [];
  private latest = new Map<Throttled, PrinterEvent>();
  private lastSent: Record<Throttled | 'log', number> = { temperatures: -Infinity, job: -Infinity, position: -Infinity, log: -Infinity };
  private logs: LogLine[] = [];
  private droppedLogs = 0;

  constructor(options: BatcherOptions = {}) {
    this.intervals = {
      temperatures: options.temperatureIntervalMs ?? 1000,
      job: options.progressIntervalMs ?? 250,
      position: options.progressIntervalMs ?? 250,
      log: options.logIntervalMs ?? 100,
    };
    this.maxLogLines = options.maxLogLines ?? 500;
  }

  push(events: readonly PrinterEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'temperatures':
        case 'position':
          this.latest.set(e.type, e);
          break;
        case 'job': {
          const prev = this.latest.get('job');
          // A change of job state is news: send it now, not at the next progress tick.
          const last = prev && prev.type === 'job' ? prev.job.state : this.lastJobState;
          if (last !== e.job.state) {
            this.latest.delete('job');
            this.urgent.push(e);
            this.lastJobState = e.job.state;
          } else this.latest.set('job', e);
          break;
        }
        case 'log':
          this.logs.push(...e.lines);
          if (this.logs.length > this.maxLogLines) {
            const extra = this.logs.length - this.maxLogLines;
            this.droppedLogs += extra;
            this.logs.splice(0, extra);
          }
          break;
        default:
          this.urgent.push(e);
      }
    }
  }

  private lastJobState: string | undefined;

  /** The batch due at `now`, or null when nothing is due. */
  take(now: number): PrinterEvent[] | null {
    const out: PrinterEvent[] = [];
    if (this.logs.length && (this.urgent.length || now >= this.lastSent.log + this.intervals.log)) {
      const lines = this.logs;
      if (this.droppedLogs > 0) {
        lines.unshift({ at: lines[0]!.at, direction: 'info', text: `(${this.droppedLogs} terminal lines skipped)` });
        this.droppedLogs = 0;
      }
      out.push({ type: 'log', lines });
      this.logs = [];
      this.lastSent.log = now;
    }
    for (const e of this.urgent) if (e.type === 'job') this.lastSent.job = now;
    out.push(...this.urgent);
    this.urgent = [];
    for (const kind of ['temperatures', 'position', 'job'] as const) {
      const e = this.latest.get(kind);
      if (e && now >= this.lastSent[kind] + this.intervals[kind]) {
        out.push(e);
        this.latest.delete(kind);
        this.lastSent[kind] = now;
      }
    }
    return out.length ? out : null;
  }

  /** When the next held-back event becomes due, or null if nothing is held. */
  nextDueAt(): number | null {
    const due: number[] = [];
    if (this.urgent.length) return -Infinity;
    if (this.logs.length) due.push(this.lastSent.log + this.intervals.log);
    for (const [kind] of this.latest) due.push(this.lastSent[kind] + this.intervals[kind]);
    return due.length ? Math.min(...due) : null;
  }
}
