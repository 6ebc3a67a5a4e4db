// Three habits of firmwares other than Marlin that used to break a print quietly: numbering reset read
// from the line's prefix, the M115 report after its `ok`, and M114 answered in the `ok` line.

import { describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../simulator/index.js';
import { EngineProbe, bytesOf, commandOf, lineNumberOf } from './engine-test-kit.js';
import { makeRig, type Rig } from './engine-on-wire.js';
import { stripComment } from './line-framing.js';

const QUICK: SimulatorOptions = { bootMs: 300, homingMs: 500, thermal: { hotend: { timeConstantS: 3 }, bed: { timeConstantS: 3 }, residencyMs: 500 } };
const JOB = { jobId: 'j1', gcodeId: 'g1', fileName: 'part.gcode' };

const ended = (rig: Rig) => (): boolean => ['completed', 'failed', 'cancelled', 'interrupted'].includes(rig.engine.jobState ?? '');

function printFile(moves: number): string {
  const out = ['M140 S60', 'M104 S200', 'M190 S60', 'M109 S200', 'G28', 'G90', 'M82', 'G92 E0', 'G1 Z0.3 F600'];
  for (let i = 0; i < moves; i++) out.push(`G1 X${(100 + 20 * Math.cos(i / 9)).toFixed(2)} Y${(100 + 20 * Math.sin(i / 9)).toFixed(2)} E${(i * 0.03).toFixed(3)} F2400`);
  return out.join('\n') + '\n';
}

function jobRan(rig: Rig): string[] {
  const log = rig.printer.executionLog.filter((c) => c.via === 'queue' && c.line !== null).map((c) => c.command);
  return log.slice(log.lastIndexOf('M110 N0') + 1).filter((c) => c !== 'M105');
}

function startProbeJob(p: EngineProbe, text: string): void {
  const bytes = bytesOf(text);
  expect(p.engine.startJob({ ...JOB, totalBytes: bytes.length }, p.now)).toEqual({ ok: true });
  p.engine.markJobDataRequested();
  p.engine.feedJob(bytes, true, p.now);
  p.collect();
}

describe('numbering reset', () => {
  it('is written N0 M110 N0, so a firmware that reads the prefix agrees: the bed heats and the file runs exactly once', () => {
    const rig = makeRig({}, { ...QUICK, m110FromPrefix: true, dialect: 'repetier' });
    rig.connect();
    // Lines already went out in this session (autoreport, terminal): the reset's prefix would be high.
    rig.engine.send('M117 Ready', rig.wire.now);
    rig.engine.send('G90', rig.wire.now);
    rig.run(() => false, 2_000);
    const text = printFile(300);
    rig.startJob(bytesOf(text));
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    const resets = rig.printer.executionLog.filter((c) => c.command === 'M110 N0');
    expect(resets.at(-1)!.line).toBe(0);
    expect(jobRan(rig)).toEqual(text.split('\n').map(stripComment).filter(Boolean));
    expect(rig.printer.temperatures(rig.wire.now).bedTarget).toBe(60);
  });

  it('sends the reset again when the firmware rejects it, never taking the request for progress', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    expect(p.engine.send('G28', p.now).ok).toBe(true);
    p.ackAll();
    startProbeJob(p, 'G1 X1\nG1 X2\n');
    expect(p.written()).toEqual(['N0 M110 N0*125']);
    p.feed('Error:checksum mismatch, Last Line: 4\nResend: 5\nok\n');
    p.advance(200);
    expect(p.written()).toEqual(['N0 M110 N0*125']);
    p.feed('ok\n');
    const job = p.ackAll();
    expect(job.map((l) => [lineNumberOf(l), commandOf(l)])).toEqual([
      [1, 'G1 X1'],
      [2, 'G1 X2'],
    ]);
    expect(p.engine.jobState).toBe('completed');
  });
});

describe('ok before the M115 report', () => {
  it('waits for the report and decides from all of it: Marlin, fast mode, temperatures autoreported through the print', () => {
    const rig = makeRig({}, { ...QUICK, okBeforeReport: true, autoreportTemp: true, emergencyParser: true });
    rig.connect();
    const fw = rig.events.filter((e) => e.type === 'firmware').at(-1);
    expect(fw?.type === 'firmware' && fw.firmware.name).toMatch(/^Marlin/);
    expect(fw?.type === 'firmware' && fw.firmware.capabilities).toMatchObject({ AUTOREPORT_TEMP: true, EMERGENCY_PARSER: true });
    expect(rig.engine.currentFlowMode).toBe('fast');
    const text = printFile(1500);
    const before = rig.events.filter((e) => e.type === 'temperatures').length;
    const startedAt = rig.wire.now;
    rig.startJob(bytesOf(text));
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    expect(rig.printer.executionLog.map((c) => c.command)).toContain('M155 S1');
    const reports = rig.events.filter((e) => e.type === 'temperatures').length - before;
    // About one a second (M155 S1), for the whole print.
    expect(reports).toBeGreaterThan(((rig.wire.now - startedAt) / 1000) * 0.8);
  });

  it('without any report, gives up waiting in bounded time, goes safe and keeps polling; a late Cap line changes nothing', () => {
    const p = new EngineProbe({ pollIntervalMs: 1000, reportWaitMs: 2000 });
    p.engine.connect(0);
    p.feed('start\n');
    expect(p.written()).toEqual(['N0 M110 N0*125']);
    p.feed('ok\n');
    expect(p.written().map(commandOf)).toEqual(['M115']);
    p.feed('ok\n');
    p.advance(1999);
    expect(p.engine.connectionState).toBe('connecting');
    p.advance(1);
    expect(p.engine.connectionState).toBe('idle');
    expect(p.eventsOf('flow').at(-1)).toMatchObject({ mode: 'safe' });
    p.feed('Cap:AUTOREPORT_TEMP:1\n');
    for (let i = 0; i < 3; i++) {
      p.advance(1000);
      expect(p.written().map(commandOf)).toEqual(['M105']);
      p.feed('ok T:20.0 /0.0 B:20.0 /0.0\n');
    }
  });
});

describe('resume after a pause', () => {
  it('reads the position from the ok line (M114 answered there) and brings the head back to it', () => {
    const rig = makeRig({ flowControl: 'safe' }, { ...QUICK, positionInOk: true });
    rig.connect();
    rig.startJob(bytesOf(printFile(400)));
    rig.run(() => rig.engine.lastAckedJobLine > 150, 3600_000);
    expect(rig.engine.pause(rig.wire.now).ok).toBe(true);
    rig.run(() => rig.engine.jobState === 'paused', 600_000);
    const paused = rig.engine.snapshot().job;
    expect(paused?.state).toBe('paused');
    const lifted = rig.printer.currentPosition;
    expect(rig.engine.resume(rig.wire.now).ok).toBe(true);
    rig.run(() => rig.engine.jobState === 'printing', 600_000);
    rig.run(() => rig.printer.plannedMoves === 0, 60_000);
    const back = rig.printer.currentPosition;
    // The pause lifted the head 10 mm; the resume took it back down to where the print was.
    expect(back.z).toBeCloseTo(lifted.z - 10, 3);
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
  });

  it('without any position, undoes the default pause lift relatively', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startProbeJob(p, 'G1 X5 Y5 Z0.3 F3000\nG1 X6\nG1 X7\n');
    p.written();
    p.feed('ok\nok\n');
    expect(p.engine.pause(p.now).ok).toBe(true);
    // M114 answered with a bare `ok`: no position.
    const paused = p.ackAll().map(commandOf);
    expect(paused).toContain('M114');
    expect(p.engine.jobState).toBe('paused');
    expect(p.engine.resume(p.now).ok).toBe(true);
    const resumed = p.ackAll().map(commandOf);
    expect(resumed.slice(0, 4)).toEqual(['G91', 'G1 Z-10 F600', 'G90', 'M83']);
    expect(resumed.some((c) => /^G1 X[\d.]+ Y/.test(c))).toBe(false);
    expect(p.engine.jobState).toBe('completed');
  });

  it('does not trust a position report that contradicts the print\'s last move (garbled digits): undoes the lift instead', () => {
    const p = new EngineProbe({ flowControl: 'safe' });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startProbeJob(p, 'G90\nG1 X5 Y5 Z10.3 F3000\nG1 X6\nG1 X7\n');
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push(...p.written().map(commandOf));
      p.feed('ok\n');
    }
    expect(sent).toEqual(['M110 N0', 'G90', 'G1 X5 Y5 Z10.3 F3000']);
    expect(p.engine.pause(p.now).ok).toBe(true);
    for (let i = 0; i < 12; i++) {
      const w = p.written();
      if (!w.length) break;
      // `Z:10.30` with one flipped bit in the first digit.
      if (w.some((l) => commandOf(l) === 'M114')) p.feed('X:6.00 Y:5.00 Z:00.30 E:0.00 Count X:480 Y:400 Z:120\n');
      p.feed(w.map(() => 'ok\n').join(''));
    }
    expect(p.engine.jobState).toBe('paused');
    expect(p.engine.resume(p.now).ok).toBe(true);
    const resumed = p.ackAll().map(commandOf);
    expect(resumed).not.toContain('G1 Z0.3 F600');
    expect(resumed.slice(0, 3)).toEqual(['G91', 'G1 Z-10 F600', 'G90']);
    expect(p.engine.jobState).toBe('completed');
  });

  it('refuses to resume, in plain words, when the pause script parked the head and no position was reported', () => {
    const p = new EngineProbe({ flowControl: 'safe', scripts: { pause: 'G91\nG1 Z10\nG90\nG1 X0 Y200 F6000' } });
    p.handshake({ AUTOREPORT_TEMP: 1 });
    p.ackAll();
    startProbeJob(p, 'G1 X5 Y5 Z0.3 F3000\nG1 X6\nG1 X7\n');
    p.written();
    p.feed('ok\nok\n');
    p.engine.pause(p.now);
    p.ackAll();
    expect(p.engine.jobState).toBe('paused');
    const r = p.engine.resume(p.now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/cannot resume: the printer did not say where the head was/);
    expect(p.engine.jobState).toBe('paused');
    expect(p.engine.cancel(p.now).ok).toBe(true);
    p.ackAll();
    expect(p.engine.jobState).toBe('cancelled');
  });
});
