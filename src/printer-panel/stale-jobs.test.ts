import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../storage/records.js';
import { closeStaleJobs, staleJobReason } from './stale-jobs.js';

const job = (id: string, outcome: JobRecord['outcome']): JobRecord => ({
  id,
  gcodeId: 'g',
  fileName: 'f.gcode',
  printerId: 'p',
  printerName: 'P',
  startedAt: 1000,
  updatedAt: 5000,
  outcome,
  progress: 0.4,
  lastLine: 120,
  filamentUsedMm: 300,
});

describe('closeStaleJobs', () => {
  it('closes running records as interrupted, at their last update, when no tab holds a printer', () => {
    const closed = closeStaleJobs([job('a', 'running'), job('b', 'completed')], false);
    expect(closed).toEqual([{ ...job('a', 'running'), outcome: 'interrupted', reason: staleJobReason, endedAt: 5000 }]);
  });
  it('touches nothing while a printer is held somewhere, and never this tab’s own job', () => {
    expect(closeStaleJobs([job('a', 'running')], true)).toEqual([]);
    expect(closeStaleJobs([job('a', 'running')], false, new Set(['a']))).toEqual([]);
  });
});
