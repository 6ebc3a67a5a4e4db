// What the History view shows: jobs newest first, filtered by outcome, and the totals over them.

import type { JobOutcome, JobRecord } from '../storage/records.js';

export type OutcomeFilter = JobOutcome | 'all';

export interface HistoryTotals {
  jobs: number;
  /** Hours between start and end (or the last update for jobs that never ended). */
  printHours: number;
  filamentMm: number;
  completed: number;
  /** Completed over finished jobs (running ones excluded); undefined with no finished job. */
  successRate: number | undefined;
}

export function jobsNewestFirst(jobs: readonly JobRecord[], filter: OutcomeFilter = 'all'): JobRecord[] {
  return jobs.filter((job) => filter === 'all' || job.outcome === filter).sort((a, b) => b.startedAt - a.startedAt || b.updatedAt - a.updatedAt);
}

export function jobDurationMs(job: JobRecord): number {
  return Math.max(0, (job.endedAt ?? job.updatedAt) - job.startedAt);
}

export function historyTotals(jobs: readonly JobRecord[]): HistoryTotals {
  let ms = 0;
  let filamentMm = 0;
  let completed = 0;
  let finished = 0;
  for (const job of jobs) {
    ms += jobDurationMs(job);
    filamentMm += Number.isFinite(job.filamentUsedMm) ? Math.max(0, job.filamentUsedMm) : 0;
    if (job.outcome !== 'running') finished++;
    if (job.outcome === 'completed') completed++;
  }
  return {
    jobs: jobs.length,
    printHours: ms / 3_600_000,
    filamentMm,
    completed,
    successRate: finished > 0 ? completed / finished : undefined,
  };
}

export const outcomeLabels: Record<JobOutcome, string> = {
  running: 'Running',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

/** Filament length as people read it: metres above one metre. */
export function formatFilament(mm: number): string {
  return mm >= 1000 ? `${(mm / 1000).toFixed(2)} m` : `${Math.round(mm)} mm`;
}
