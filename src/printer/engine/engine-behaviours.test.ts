// Each behaviour of the engine, against the simulated Marlin over the virtual-clock wire.

import { describe, expect, it } from 'vitest';
import type { PrinterEvent } from '../link-api.js';
import { bytesOf } from './engine-test-kit.js';
import { makeRig, type Rig } from './engine-on-wire.js';
import type { SimulatorOptions } from '../simulator/index.js';

const QUICK: SimulatorOptions = { bootMs: 300, homingMs: 500, thermal: { hotend: { timeConstantS: 3 }, bed: { timeConstantS: 3 }, residencyMs: 500 } };

function moves(n: number, feed = 3000): string[] {
  return Array.from({ length: n }, (_, i) => `G1 X${(100 + 30 * Math.cos(i / 10)).toFixed(2)} Y${(100 + 30 * Math.sin(i / 10)).toFixed(2)} F${feed}`);
}

function jobRan(rig: Rig, from = 0): string[] {
  const log = rig.printer.executionLog.slice(from).filter((c) => c.via === 'queue' && c.line !== null).map((c) => c.command);
  return log.slice(log.lastIndexOf('M110 N0') + 1).filter((c) => c !== 'M105');
}

function last<T extends PrinterEvent['type']>(rig: Rig, type: T): Extract<PrinterEvent, { type: T }> | undefined {
  return rig.events.filter((e): e is Extract<PrinterEvent, { type: T }> => e.type === type).at(-1);
}

const ended = (rig: Rig) => () => ['completed', 'failed', 'cancelled', 'interrupted'].includes(rig.engine.jobState ?? '');

describe('handshake and reports against the simulator', () => {
  it('reads firmware name and capabilities and turns on temperature autoreport', () => {
    const rig = makeRig({}, { ...QUICK, autoreportPos: true, emergencyParser: true });
    rig.connect();
    const fw = last(rig, 'firmware')!.firmware;
    expect(fw.name).toMatch(/Marlin/);
    expect(fw.capabilities).toMatchObject({ AUTOREPORT_TEMP: true, EMERGENCY_PARSER: true, AUTOREPORT_POS: true });
    rig.run(() => false, 5_000);
    const cmds = rig.printer.executionLog.map((c) => c.command);
    expect(cmds).toContain('M155 S1');
    expect(cmds).toContain('M154 S1');
    expect(cmds).not.toContain('M105');
    expect(rig.events.filter((e) => e.type === 'temperatures').length).toBeGreaterThan(3);
  });

  it('polls M105 when the firmware cannot autoreport, one at a time', () => {
    const rig = makeRig({ pollIntervalMs: 1000 }, { ...QUICK, autoreportTemp: false });
    rig.connect();
    const before = rig.printer.executionLog.length;
    rig.run(() => false, 10_000);
    const polls = rig.printer.executionLog.slice(before).filter((c) => c.command === 'M105');
    expect(polls.length).toBeGreaterThanOrEqual(8);
    expect(polls.length).toBeLessThanOrEqual(11);
    expect(last(rig, 'temperatures')!.readings.length).toBeGreaterThan(0);
  });
});

describe('flow control against the simulator', () => {
  it('fast mode with ADVANCED_OK prints exactly once and never overflows the receive buffer', () => {
    const rig = makeRig({ flowControl: 'fast' }, { ...QUICK, advancedOk: true });
    rig.connect();
    const lines = ['G28', 'G90', ...moves(2000, 6000)];
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    expect(jobRan(rig)).toEqual(lines);
    expect(rig.printer.counters.rxOverflowBytes).toBe(0);
  });

  it('falls back to safe mode on a very noisy line, and still prints exactly once', () => {
    const rig = makeRig({ flowControl: 'auto' }, { ...QUICK, faults: { spuriousResendRate: 0.05 } });
    rig.connect();
    expect(last(rig, 'flow')!.mode).toBe('fast');
    const lines = moves(1500);
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    expect(last(rig, 'flow')).toMatchObject({ mode: 'safe' });
    expect(jobRan(rig)).toEqual(lines);
  });

  for (const variant of [{ okAfterResend: false }, { dropRecentDuplicates: false }] as const) {
    it(`recovers from line noise with firmware variant ${JSON.stringify(variant)}`, () => {
      for (const mode of ['safe', 'fast'] as const) {
        const rig = makeRig({ flowControl: mode, troubleLimit: Infinity }, { ...QUICK, seed: 5, ...variant }, { seed: 5, hostToPrinter: { faults: { corruptRate: 1 / 2000, minBytesBetweenFaults: 100 } } });
        rig.connect();
        const lines = moves(3000);
        rig.startJob(bytesOf(lines.join('\n') + '\n'));
        rig.run(ended(rig), 3600_000);
        expect(rig.engine.jobState).toBe('completed');
        expect(rig.printer.counters.resendsRequested).toBeGreaterThan(10);
        expect(jobRan(rig)).toEqual(lines);
      }
    });
  }
});

describe('a firmware that repeats ok', () => {
  const lines = moves(4000, 6000);
  // Without line numbers in the `ok`s only timing can expose a repeat, and only a link whose times are
  // exact (this virtual wire, which says so) can be trusted with that; over a real port no `ok` is
  // discarded on timing (see printer-link.test.ts).
  it('on a link with exact timing, safe mode ignores the extra oks and prints exactly once', () => {
    const rig = makeRig({ flowControl: 'safe', exactLinkBaud: 115_200 }, { ...QUICK, seed: 4, faults: { duplicateOkRate: 0.005 } });
    rig.connect();
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    expect(rig.printer.counters.oksDuplicated).toBeGreaterThan(5);
    expect(rig.printer.counters.rxOverflowBytes).toBe(0);
    expect(jobRan(rig)).toEqual(lines);
  });

  it('with ADVANCED_OK the line numbers expose the repeats: fast mode stays, no overflow', () => {
    const rig = makeRig({ flowControl: 'fast' }, { ...QUICK, seed: 4, advancedOk: true, faults: { duplicateOkRate: 0.005 } });
    rig.connect();
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    expect(rig.engine.currentFlowMode).toBe('fast');
    expect(rig.printer.counters.rxOverflowBytes).toBe(0);
    expect(jobRan(rig)).toEqual(lines);
  });
});

describe('timeouts against the simulator', () => {
  it('a long silent stall is probed with M105 and the job continues exactly once', () => {
    const rig = makeRig({ flowControl: 'safe' }, { ...QUICK, keepaliveIntervalS: 0 });
    rig.connect();
    const lines = moves(300);
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(() => rig.printer.executionLog.length > 100, 60_000);
    rig.printer.inject('silentStall', rig.wire.now, 40_000);
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    expect(jobRan(rig)).toEqual(lines);
    const infos = rig.events.flatMap((e) => (e.type === 'log' ? e.lines : [])).filter((l) => /asking where it stands/.test(l.text));
    expect(infos.length).toBeGreaterThan(0);
  });

  it('busy: keepalives during a long command are not mistaken for a stall', () => {
    const rig = makeRig({ flowControl: 'safe' }, { ...QUICK, probingMs: 20_000 });
    rig.connect();
    const lines = ['G28', 'G29', ...moves(50)];
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(ended(rig), 3600_000);
    expect(rig.engine.jobState).toBe('completed');
    expect(rig.printer.counters.keepalivesSent).toBeGreaterThan(5);
    const probes = rig.events.flatMap((e) => (e.type === 'log' ? e.lines : [])).filter((l) => /asking where it stands/.test(l.text));
    expect(probes).toEqual([]);
  });
});

describe('a terminal command after the printer sat idle', () => {
  for (const reports of ['autoreport', 'polling'] as const) {
    it(`is answered without a probe or a resend after 45 s idle (temperatures by ${reports})`, () => {
      const rig = makeRig({ logTraffic: true }, { ...QUICK, autoreportTemp: reports === 'autoreport' });
      rig.connect();
      rig.run(() => false, 45_000);
      expect(rig.events.filter((e) => e.type === 'temperatures').length).toBeGreaterThan(20);
      const resendsBefore = rig.printer.counters.resendsRequested;
      const from = rig.events.length;
      expect(rig.engine.send('M114', rig.wire.now)).toEqual({ ok: true });
      rig.run(() => false, 10_000);
      const log = rig.events.slice(from).flatMap((e) => (e.type === 'log' ? e.lines : []));
      expect(log.filter((l) => /No answer|asking where it stands/.test(l.text))).toEqual([]);
      expect(log.filter((l) => l.direction === 'received' && /^(Error|Resend)/i.test(l.text))).toEqual([]);
      expect(rig.printer.counters.resendsRequested).toBe(resendsBefore);
      const sentAt = log.findIndex((l) => l.direction === 'sent' && / M114\*/.test(l.text));
      expect(sentAt).toBeGreaterThanOrEqual(0);
      expect(log.slice(sentAt + 1).some((l) => l.direction === 'received' && l.text === 'ok')).toBe(true);
      expect(rig.printer.executionLog.filter((c) => c.command === 'M114')).toHaveLength(1);
      expect(rig.events.filter((e) => e.type === 'error')).toEqual([]);
    });
  }
});

describe('errors, resets and host actions against the simulator', () => {
  it('a reset mid-print stops the job with a plain reason and reconnects', () => {
    const rig = makeRig({ flowControl: 'fast' }, QUICK);
    rig.connect();
    rig.startJob(bytesOf(moves(2000).join('\n') + '\n'));
    rig.run(() => rig.printer.executionLog.length > 300, 60_000);
    rig.printer.inject('reset', rig.wire.now);
    rig.run(ended(rig), 60_000);
    expect(rig.engine.jobState).toBe('interrupted');
    expect(last(rig, 'job')!.job.reason).toMatch(/restarted/);
    rig.run(() => rig.engine.connectionState === 'idle', 30_000);
    expect(rig.engine.connectionState).toBe('idle');
  });

  it('thermal runaway is fatal: the job fails and the user is told in plain words', () => {
    const rig = makeRig({ flowControl: 'fast' }, QUICK);
    rig.connect();
    rig.startJob(bytesOf(moves(2000).join('\n') + '\n'));
    rig.run(() => rig.printer.executionLog.length > 200, 60_000);
    rig.printer.inject('thermalRunaway', rig.wire.now);
    rig.run(ended(rig), 60_000);
    expect(rig.engine.jobState).toBe('failed');
    expect(rig.engine.connectionState).toBe('error');
    expect(last(rig, 'error')!.error).toMatchObject({ fatal: true });
    expect(rig.events.some((e) => e.type === 'error' && /thermal runaway/.test(e.error.message))).toBe(true);
  });

  it('shows a host prompt and answers it with M876', () => {
    const rig = makeRig({}, { ...QUICK, emergencyParser: true });
    rig.connect();
    rig.printer.showPrompt('Filament runout', ['Continue', 'Purge'], rig.wire.now);
    rig.run(() => !!last(rig, 'prompt')?.prompt, 5_000);
    expect(last(rig, 'prompt')!.prompt).toEqual({ text: 'Filament runout', buttons: ['Continue', 'Purge'] });
    expect(rig.engine.answerPrompt(1, rig.wire.now).ok).toBe(true);
    rig.run(() => rig.printer.promptResponses.length > 0, 5_000);
    expect(rig.printer.promptResponses[0]!.index).toBe(1);
  });

  it('emergency stop reaches the firmware ahead of the queue and halts it', () => {
    const rig = makeRig({ flowControl: 'fast' }, { ...QUICK, emergencyParser: true });
    rig.connect();
    rig.startJob(bytesOf(moves(2000, 600).join('\n') + '\n'));
    rig.run(() => rig.printer.executionLog.length > 50, 60_000);
    expect(rig.engine.emergencyStop(rig.wire.now).ok).toBe(true);
    rig.run(() => rig.printer.state === 'halted', 1_000);
    expect(rig.printer.state).toBe('halted');
    expect(rig.printer.executionLog.some((c) => c.command === 'M112')).toBe(true);
    expect(rig.engine.jobState).toBe('failed');
  });

  it('refuses a terminal command above the temperature limits; the firmware never sees it', () => {
    const rig = makeRig({}, QUICK);
    rig.connect();
    const r = rig.engine.send('M140 S150', rig.wire.now);
    expect(r.ok).toBe(false);
    rig.run(() => false, 2_000);
    expect(rig.printer.executionLog.some((c) => c.command.startsWith('M140'))).toBe(false);
  });
});

describe('jobs against the simulator', () => {
  it('M0 in a job becomes a host pause; resume restores position and continues', () => {
    const rig = makeRig({ flowControl: 'fast' }, QUICK);
    rig.connect();
    const lines = ['G28', 'G90', 'M83', 'G1 X50 Y60 Z0.3 F3000', 'G1 X55 E1', 'M0 Swap colour', 'G1 X60 E1', 'G1 X65 E1'];
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(() => rig.engine.jobState === 'paused', 60_000);
    expect(rig.engine.jobState).toBe('paused');
    const parked = rig.printer.currentPosition;
    expect(parked.z).toBeCloseTo(10.3, 1);
    expect(rig.engine.resume(rig.wire.now).ok).toBe(true);
    rig.run(ended(rig), 60_000);
    expect(rig.engine.jobState).toBe('completed');
    const all = rig.printer.executionLog.map((c) => c.command);
    expect(all).not.toContain('M0 Swap colour');
    expect(all.indexOf('G1 X60 E1')).toBeGreaterThan(all.indexOf('G1 X55 Y60 F6000'));
    expect(rig.printer.currentPosition.x).toBeCloseTo(65, 3);
    expect(rig.printer.currentPosition.z).toBeCloseTo(0.3, 3);
  });

  it('pause and resume put back temperatures, extrusion mode and feed rate', () => {
    const rig = makeRig({ flowControl: 'safe' }, QUICK);
    rig.connect();
    const lines = ['M104 S200', 'M140 S50', 'G28', 'G90', 'M82', 'G92 E0', ...moves(400).map((m, i) => `${m} E${(i * 0.1).toFixed(2)}`)];
    rig.startJob(bytesOf(lines.join('\n') + '\n'));
    rig.run(() => rig.printer.executionLog.length > 150, 600_000);
    expect(rig.engine.pause(rig.wire.now).ok).toBe(true);
    rig.run(() => rig.engine.jobState === 'paused', 60_000);
    const log1 = rig.printer.executionLog.map((c) => c.command);
    const from = log1.lastIndexOf('M400');
    expect(log1.slice(from, from + 2)).toEqual(['M400', 'M114']);
    rig.engine.resume(rig.wire.now);
    rig.run(ended(rig), 600_000);
    expect(rig.engine.jobState).toBe('completed');
    const log = rig.printer.executionLog.map((c) => c.command);
    const resumeAt = log.indexOf('M104 T0 S200');
    expect(resumeAt).toBeGreaterThan(from);
    expect(log.slice(resumeAt)).toContain('M82');
    expect(log.slice(resumeAt).some((c) => /^G92 E\d/.test(c))).toBe(true);
    expect(log.slice(resumeAt)).toContain('G1 F3000');
    // Every job line ran exactly once, pause or not.
    const extruding = (c: string): boolean => /^G1 X.* E/.test(c);
    expect(jobRan(rig).filter(extruding)).toEqual(lines.filter(extruding));
  });

  it('cancel during a heating wait breaks it with M108 and runs the cancel script', () => {
    const rig = makeRig({ flowControl: 'safe' }, { ...QUICK, emergencyParser: true, thermal: { hotend: { timeConstantS: 200 } } });
    rig.connect();
    rig.startJob(bytesOf(['M109 S250', ...moves(10)].join('\n') + '\n'));
    rig.run(() => rig.printer.executionLog.some((c) => c.command === 'M110 N0') && rig.wire.now > 5_000, 60_000);
    const t0 = rig.wire.now;
    expect(rig.engine.cancel(rig.wire.now).ok).toBe(true);
    rig.run(ended(rig), 120_000);
    expect(rig.engine.jobState).toBe('cancelled');
    expect(rig.wire.now - t0).toBeLessThan(20_000);
    const log = rig.printer.executionLog.map((c) => `${c.via}:${c.command}`);
    expect(log).toContain('emergency:M108');
    expect(log.slice(-7)).toEqual(['queue:M104 S0', 'queue:M140 S0', 'queue:M107', 'queue:G91', 'queue:G1 Z10 F600', 'queue:G90', 'queue:M84']);
    expect(rig.printer.executionLog.some((c) => c.command === 'G1 X130.00 Y100.00 F3000')).toBe(false);
  });
});
