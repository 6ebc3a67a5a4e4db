import { describe, expect, it } from 'vitest';
import { JOB_RECORD_INTERVAL_MS, JobHistory } from './job-history.js';
import type { JobProgress } from './link-api.js';

const progress = (state: JobProgress['state'], bytesSent: number, reason?: string): JobProgress => ({
  jobId: 'j', gcodeId: 'g', fileName: 'cube.gcode', state, bytesSent, totalBytes: 1000, linesSent: bytesSent / 10, startedAt: 0, elapsedMs: 0, filamentUsedMm: 12.5, ...(reason ? { reason } : {}),
});

describe('job history record', () => {
  it('starts running, is rewritten periodically and on outcome change', () => {
    const h = new JobHistory({ id: 'j', gcodeId: 'g', fileName: 'cube.gcode', printerId: 'p', printerName: 'Ender', startedAt: 0 });
    expect(h.initial).toMatchObject({ outcome: 'running', progress: 0 });
    expect(h.update(progress('printing', 100), 1000)).toBeNull();
    const r = h.update(progress('printing', 500), JOB_RECORD_INTERVAL_MS + 1)!;
    expect(r).toMatchObject({ outcome: 'running', progress: 0.5, filamentUsedMm: 12.5 });
    const done = h.update(progress('completed', 1000), JOB_RECORD_INTERVAL_MS + 2)!;
    expect(done).toMatchObject({ outcome: 'completed', progress: 1, endedAt: JOB_RECORD_INTERVAL_MS + 2 });
  });

  it('records a cable pull as interrupted with its reason', () => {
    const h = new JobHistory({ id: 'j', gcodeId: 'g', fileName: 'cube.gcode', printerId: 'p', printerName: 'Ender', startedAt: 0 });
    const r = h.update(progress('interrupted', 300, 'The USB cable was unplugged.'), 50)!;
    expect(r).toMatchObject({ outcome: 'interrupted', reason: 'The USB cable was unplugged.', progress: 0.3 });
    expect(h.interrupt('again', 60)).toBeNull();
  });
});
