// The stall rule: a print whose acknowledged line does not move for a bounded time (outside heating
// waits, `busy:` and pauses) is probed, and recovers only through an answer the engine can verify;
// otherwise it stops with a plain message and an interrupted record. Times are simulated.

import { describe, expect, it } from 'vitest';
import { EngineProbe, bytesOf, commandOf, lineNumberOf } from './engine-test-kit.js';
import { DEFAULT_STALL_BOUNDS, ProgressWatchdog } from './progress-watchdog.js';

const { stallMs, recoveryMs } = DEFAULT_STALL_BOUNDS;
const JOB = { jobId: 'j1', gcodeId: 'g1', fileName: 'part.gcode' };

function startJob(p: EngineProbe, text: string): void {
  const bytes = bytesOf(text);
  expect(p.engine.startJob({ ...JOB, totalBytes: bytes.length }, p.now)).toEqual({ ok: true });
  p.engine.markJobDataRequested();
  p.engine.feedJob(bytes, true, p.now);
  p.collect();
  expect(p.written()).toEqual(['N0 M110 N0*125']);
  p.feed('ok\n');
}

/** Advances in steps, feeding `say` each step (a firmware that keeps talking). */
function talk(p: EngineProbe, ms: number, stepMs: number, say: string, onWrite?: (lines: string[]) => void): void {
  for (let t = 0; t < ms; t += stepMs) {
    p.advance(stepMs);
    p.feed(say);
    const w = p.written();
    if (w.length && onWrite) onWrite(w);
  }
}

describe('progress watchdog', () => {
  it('probes once after the bound, gives up after the recovery time, and starts over on progress', () => {
    const w = new ProgressWatchdog({ stallMs: 100, recoveryMs: 50 });
    expect(w.check(1000)).toBeNull();
    w.start(0);
    expect(w.deadline()).toBe(100);
    expect(w.check(99)).toBeNull();
    expect(w.check(100)).toBe('probe');
    expect(w.deadline()).toBe(150);
    expect(w.check(149)).toBeNull();
    w.progress(120);
    expect(w.check(219)).toBeNull();
    expect(w.check(220)).toBe('probe');
    expect(w.check(270)).toBe('give-up');
    w.stop();
    expect(w.deadline()).toBeNull();
  });
});

describe('a print that stops moving', () => {
  const moves = Array.from({ length: 40 }, (_, i) => `G1 X${i} Y${i} F3000`).join('\n') + '\n';

  it('ends interrupted, in plain words, within the bound, when the firmware talks but accepts nothing', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, moves);
    p.feed('ok\nok\n');
    const startedAt = p.now;
    const sent: string[] = [];
    // Replies the engine cannot place, and `wait`: signs of life that move nothing.
    talk(p, 3 * stallMs, 1000, 'Error:Command buffer mixed up\nwait\n', (w) => sent.push(...w));
    expect(p.engine.jobState).toBe('interrupted');
    const ended = p.eventsOf('job').at(-1)!.job;
    expect(ended.reason).toMatch(/^The print was stopped: for \d+ s the printer accepted no line \(last accepted: line 1 of the file\)/);
    const endedAt = p.eventsOf('job').at(-1)!.job.elapsedMs + startedAt;
    expect(endedAt - startedAt).toBeGreaterThanOrEqual(stallMs);
    expect(endedAt - startedAt).toBeLessThanOrEqual(stallMs + recoveryMs + 1000);
    expect(p.eventsOf('error').some((e) => e.error.code === 'print-stalled' && e.error.fatal)).toBe(true);
    // One probe (a line number that can never be next), the nozzle heater off, numbering afresh.
    expect(sent.filter((l) => commandOf(l) === 'M105' && lineNumberOf(l) > 3)).toHaveLength(1);
    expect(sent).toContain('M104 S0');
    expect(p.engine.connectionState).toBe('idle');
  });

  it('recovers through a probe whose answer it can verify, and completes', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, moves);
    // Lines 1 and 2 acknowledged; line 3 lost on the way, and the firmware only complains vaguely.
    p.feed('ok\nok\n');
    let probe: string | undefined;
    talk(p, stallMs + 5000, 1000, 'Error:Command buffer mixed up\n', (w) => {
      probe ??= w.find((l) => commandOf(l) === 'M105');
    });
    expect(probe).toBeDefined();
    expect(p.engine.jobState).toBe('printing');
    p.feed(`Error:Line Number is not Last Line Number+1, Last Line: 2\nResend: 3\nok\n`);
    p.advance(200);
    const resent = p.written();
    expect(commandOf(resent[0]!)).toBe('G1 X2 Y2 F3000');
    p.feed('ok\n');
    p.ackAll();
    expect(p.engine.jobState).toBe('completed');
  });

  it('takes `wait` for idleness, not life: a firmware that only says `wait` is found out within the silence bound', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, moves);
    p.feed('ok\n');
    const startedAt = p.now;
    talk(p, 3 * stallMs, 1000, 'wait\n');
    expect(p.engine.jobState).toBe('failed');
    expect(p.eventsOf('job').at(-1)!.job.reason).toBe('The printer stopped answering. Check the cable and the printer.');
    expect(p.eventsOf('job').at(-1)!.job.elapsedMs).toBeLessThanOrEqual(stallMs);
    expect(p.now - startedAt).toBeGreaterThan(0);
  });

  it("does not take the `ok` after Repetier's `skip` for the resent line", () => {
    const p = new EngineProbe({ flowControl: 'fast' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, moves);
    const inFlight = p.written();
    expect(inFlight.length).toBeGreaterThan(3);
    p.feed('ok\n');
    expect(p.engine.lastAckedJobLine).toBe(1);
    p.written();
    p.feed('Error:expected line 2 got 3\n\nResend:2\nok\n');
    p.advance(150);
    expect(commandOf(p.written()[0]!)).toBe('G1 X1 Y1 F3000');
    p.feed('skip 3\nok\nskip 4\nok\n');
    expect(p.engine.lastAckedJobLine).toBe(1);
    p.feed('ok\n');
    expect(p.engine.lastAckedJobLine).toBe(2);
  });

  it('a probe answered at the very end of the file resends the last lines before the job can complete', () => {
    const p = new EngineProbe({ flowControl: 'fast' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G1 X1\nG1 X2\nG1 X3\nG1 X4\nG1 X5\n');
    expect(p.written().map(commandOf)).toEqual(['G1 X1', 'G1 X2', 'G1 X3', 'G1 X4', 'G1 X5']);
    // Lines 1 and 2 acknowledged; line 3 ran but its `ok` was lost; lines 4 and 5 never arrived.
    p.feed('ok\nok\n');
    p.advance(31_000);
    const probe = p.written();
    expect(probe.map(commandOf)).toEqual(['M105']);
    p.feed('Error:Line Number is not Last Line Number+1, Last Line: 3\nResend: 4\nok\n');
    expect(p.engine.jobState).toBe('printing');
    p.advance(200);
    // Fast mode resends one line and waits for it before the rest.
    expect(p.written().map(commandOf)).toEqual(['G1 X4']);
    p.feed('ok\n');
    expect(p.engine.jobState).toBe('printing');
    expect(p.written().map(commandOf)).toEqual(['G1 X5']);
    p.feed('ok\n');
    expect(p.engine.jobState).toBe('completed');
  });

  it('waits without limit while busy: keepalives come, and during a heating wait', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, 'G28\nM190 S60\nG1 X1\n');
    expect(p.written().map(commandOf)).toEqual(['G28']);
    talk(p, 10 * stallMs, 2000, 'echo:busy: processing\n');
    expect(p.written()).toEqual([]);
    expect(p.engine.jobState).toBe('printing');
    p.feed('ok\n');
    expect(p.written().map(commandOf)).toEqual(['M190 S60']);
    talk(p, 10 * stallMs, 1000, ' T:25.0 /0.0 B:40.0 /60.0 @:0 B@:127 W:?\n');
    expect(p.written()).toEqual([]);
    expect(p.engine.jobState).toBe('printing');
    p.feed('ok\n');
    p.ackAll();
    expect(p.engine.jobState).toBe('completed');
  });

  it('never counts a pause against the print', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startJob(p, moves);
    p.feed('ok\n');
    p.engine.pause(p.now);
    for (let i = 0; i < 10; i++) {
      const w = p.written();
      if (w.some((l) => commandOf(l) === 'M114')) p.feed('X:1.00 Y:1.00 Z:0.30 E:0.00 Count X:0 Y:0 Z:0\n');
      p.feed(w.map(() => 'ok\n').join(''));
    }
    expect(p.engine.jobState).toBe('paused');
    talk(p, 3600_000, 10_000, 'wait\n');
    expect(p.engine.jobState).toBe('paused');
    expect(p.engine.resume(p.now).ok).toBe(true);
    p.ackAll();
    expect(p.engine.jobState).toBe('completed');
  });
});
