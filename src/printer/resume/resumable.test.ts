import { describe, expect, it } from 'vitest';
import { closeStaleJobs } from '../../printer-panel/stale-jobs.js';
import type { JobCheckpoint, JobRecord } from '../../storage/records.js';
import { JobHistory } from '../job-history.js';
import type { JobProgress } from '../link-api.js';
import { PrintState } from './print-state.js';
import { isResumable, resumeLabel } from './resumable.js';

const checkpoint: JobCheckpoint = {
  at: 5,
  gcodeId: 'g',
  acked: { line: 500, offset: 20_000 },
  finished: { line: 400, offset: 16_000, layer: 6 },
  layer: 7,
  state: new PrintState().snapshot(),
  zLow: 1.4,
  zHigh: 1.8,
};

function record(over: Partial<JobRecord>): JobRecord {
  return { id: 'j', gcodeId: 'g', fileName: 'f.gcode', printerId: 'p', printerName: 'P', startedAt: 0, updatedAt: 1, outcome: 'interrupted', progress: 0.3, lastLine: 500, filamentUsedMm: 10, ...over };
}

describe('which jobs offer a resume', () => {
  it('an interrupted job with a checkpoint, however it was interrupted', () => {
    expect(isResumable(record({ checkpoint }))).toBe(true);
    expect(resumeLabel(record({ checkpoint }))).toBe('Resume from layer 8');
    expect(isResumable(record({}))).toBe(false);
    expect(isResumable(record({ checkpoint, outcome: 'failed' }))).toBe(false);
    expect(isResumable(record({ checkpoint: { ...checkpoint, finished: null, layer: -1 } }))).toBe(false);
  });

  it('a record left running by a dead tab keeps its checkpoint when it is closed as interrupted', () => {
    const [closed] = closeStaleJobs([record({ outcome: 'running', checkpoint })], false);
    expect(closed!.outcome).toBe('interrupted');
    expect(isResumable(closed!)).toBe(true);
  });
});

describe('job history record and its checkpoint', () => {
  const progress = (state: JobProgress['state']): JobProgress => ({ jobId: 'j', gcodeId: 'g', fileName: 'f', state, bytesSent: 10, totalBytes: 100, linesSent: 3, startedAt: 0, elapsedMs: 1, filamentUsedMm: 0 });

  it('carries the latest checkpoint in every write, writes when forced, and names the job it resumed', () => {
    const h = new JobHistory({ id: 'j2', gcodeId: 'g', fileName: 'f', printerId: 'p', printerName: 'P', startedAt: 0, resumedFrom: { jobId: 'j', layer: 7, startedAt: 0 } });
    expect(h.initial.resumedFrom).toEqual({ jobId: 'j', layer: 7, startedAt: 0 });
    h.setCheckpoint(checkpoint);
    expect(h.update(progress('printing'), 100)).toBeNull();
    expect(h.update(progress('printing'), 200, 3, true)?.checkpoint).toEqual(checkpoint);
    const ended = h.update(progress('interrupted'), 300);
    expect(ended).toMatchObject({ outcome: 'interrupted', checkpoint });
  });
});
