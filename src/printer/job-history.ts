// The job's history record: written when the print starts, updated as it goes (so a crash leaves a
// record), and closed with its outcome.

import type { JobProgress, JobState } from './link-api.js';
import type { JobCheckpoint, JobOutcome, JobRecord, ResumedFrom } from '../storage/records.js';

/** How often a running job's record is rewritten. */
export const JOB_RECORD_INTERVAL_MS = 10_000;

export function outcomeOf(state: JobState): JobOutcome {
  switch (state) {
    case 'completed':
    case 'cancelled':
    case 'failed':
    case 'interrupted':
      return state;
    default:
      return 'running';
  }
}

export class JobHistory {
  private record: JobRecord;
  private lastWrittenAt: number;
  private lastOutcome: JobOutcome;

  constructor(init: { id: string; gcodeId: string; fileName: string; printerId: string; printerName: string; startedAt: number; resumedFrom?: ResumedFrom }) {
    this.record = {
      ...init,
      updatedAt: init.startedAt,
      outcome: 'running',
      progress: 0,
      lastLine: 0,
      filamentUsedMm: 0,
    };
    this.lastWrittenAt = init.startedAt;
    this.lastOutcome = 'running';
  }

  /** The record to write when the job starts. */
  get initial(): JobRecord {
    return { ...this.record };
  }

  get current(): JobRecord {
    return { ...this.record };
  }

  /** The latest resume checkpoint, carried by every later write of the record. */
  setCheckpoint(checkpoint: JobCheckpoint): void {
    this.record.checkpoint = checkpoint;
  }

  /**
   * Folds in the latest progress; returns the record when it should be written now (state changed,
   * `force`, or enough time passed), otherwise null.
   */
  update(progress: JobProgress, now: number, lastAckedLine?: number, force = false): JobRecord | null {
    const outcome = outcomeOf(progress.state);
    const r = this.record;
    r.progress = progress.totalBytes > 0 ? Math.min(1, progress.bytesSent / progress.totalBytes) : 0;
    r.lastLine = lastAckedLine ?? progress.linesSent;
    r.filamentUsedMm = progress.filamentUsedMm;
    r.updatedAt = now;
    if (outcome !== 'running') {
      r.outcome = outcome;
      r.endedAt = r.endedAt ?? now;
      if (progress.reason) r.reason = progress.reason;
    }
    const changed = outcome !== this.lastOutcome;
    if (changed || force || now - this.lastWrittenAt >= JOB_RECORD_INTERVAL_MS) {
      this.lastOutcome = outcome;
      this.lastWrittenAt = now;
      return { ...r };
    }
    return null;
  }

  /** The link died without the engine getting a say (worker shutting down, transport gone). */
  interrupt(reason: string, now: number): JobRecord | null {
    if (this.record.outcome !== 'running') return null;
    this.record.outcome = 'interrupted';
    this.record.reason = reason;
    this.record.endedAt = now;
    this.record.updatedAt = now;
    this.lastOutcome = 'interrupted';
    return { ...this.record };
  }
}
