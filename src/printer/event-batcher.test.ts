import { describe, expect, it } from 'vitest';
import { EventBatcher } from './event-batcher.js';
import type { JobProgress, PrinterEvent } from './link-api.js';

const job = (state: JobProgress['state'], bytesSent: number): PrinterEvent => ({
  type: 'job',
  job: { jobId: 'j', gcodeId: 'g', fileName: 'f', state, bytesSent, totalBytes: 100, linesSent: bytesSent, startedAt: 0, elapsedMs: 0, filamentUsedMm: 0 },
});

describe('event batcher', () => {
  it('sends state changes at once and throttles temperatures to ~1 Hz, latest wins', () => {
    const b = new EventBatcher();
    b.push([{ type: 'state', state: 'idle' }, { type: 'temperatures', at: 0, readings: [{ heater: 'T0', current: 20, target: 0 }] }]);
    expect(b.take(0)!.map((e) => e.type)).toEqual(['state', 'temperatures']);
    b.push([{ type: 'temperatures', at: 100, readings: [{ heater: 'T0', current: 21, target: 0 }] }]);
    b.push([{ type: 'temperatures', at: 200, readings: [{ heater: 'T0', current: 22, target: 0 }] }]);
    expect(b.take(500)).toBeNull();
    expect(b.nextDueAt()).toBe(1000);
    const t = b.take(1000)!;
    expect(t).toHaveLength(1);
    expect(t[0]!.type === 'temperatures' && t[0]!.readings[0]!.current).toBe(22);
  });

  it('throttles progress to ~4 Hz but sends job state changes immediately', () => {
    const b = new EventBatcher();
    b.push([job('printing', 0)]);
    expect(b.take(0)).toHaveLength(1);
    for (let i = 1; i < 50; i++) b.push([job('printing', i)]);
    expect(b.take(100)).toBeNull();
    const p = b.take(250)!;
    expect(p).toHaveLength(1);
    expect(p[0]!.type === 'job' && p[0]!.job.bytesSent).toBe(49);
    b.push([job('printing', 60), job('paused', 61)]);
    const now = b.take(260)!;
    expect(now.map((e) => (e.type === 'job' ? e.job.state : e.type))).toEqual(['paused']);
  });

  it('batches log lines and caps a batch, saying how many were skipped', () => {
    const b = new EventBatcher({ maxLogLines: 10 });
    for (let i = 0; i < 25; i++) b.push([{ type: 'log', lines: [{ at: i, direction: 'received', text: `ok ${i}` }] }]);
    const out = b.take(1000)!;
    expect(out).toHaveLength(1);
    const lines = out[0]!.type === 'log' ? out[0]!.lines : [];
    expect(lines[0]!.text).toBe('(15 terminal lines skipped)');
    expect(lines.at(-1)!.text).toBe('ok 24');
    expect(lines).toHaveLength(11);
  });
});
