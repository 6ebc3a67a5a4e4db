// A job record still marked "running" when no tab holds any printer is the trace of a tab that died
// mid-print (closed, crashed, the laptop slept). It is closed as interrupted, at the time it was last
// known to be alive, so the History view tells the truth.

import type { JobRecord } from '../storage/records.js';

export const staleJobReason = 'Sliceport was closed, or the computer slept, during the print.';

/**
 * Records to rewrite as interrupted. `printersHeld` is true when any tab (this one included) holds a
 * printer: then a running record may be live and nothing is touched; `liveJobIds` protects this tab's own.
 */
export function closeStaleJobs(jobs: readonly JobRecord[], printersHeld: boolean, liveJobIds: ReadonlySet<string> = new Set()): JobRecord[] {
  if (printersHeld) return [];
  return jobs
    .filter((job) => job.outcome === 'running' && !liveJobIds.has(job.id))
    .map((job) => interruptedRecord(job, job.reason ?? staleJobReason, job.updatedAt));
}

/** A running record closed as interrupted at `endedAt`; any other record is returned unchanged. */
export function interruptedRecord(job: JobRecord, reason: string, endedAt: number): JobRecord {
  if (job.outcome !== 'running') return job;
  return { ...job, outcome: 'interrupted', reason, endedAt, updatedAt: Math.max(job.updatedAt, endedAt) };
}
