import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../printer/link-api.js';
import type { JobRecord } from '../storage/records.js';
import { connectWarnings, describePort, explainConnectError, looksLikeWrongBaud, portFilters, webSerialProblem, baudRates } from './connect-options.js';
import { describeGcode, suggestGcodes } from './gcode-catalog.js';
import { historyTotals, jobsNewestFirst } from './history-stats.js';
import { attentionNotice, summarizeJob } from './job-summary.js';
import { checkMaterialPreset, defaultMaterialPresets, readMaterialPresets, upsertMaterialPreset } from './material-presets.js';
import { emergencyStopNeedsConfirmation, extrudeCommands, fanCommand, jogCommands, overrideCommand, setTemperatureCommand } from './printer-controls.js';
import { estimateRemainingSeconds, formatDuration } from './remaining-time.js';
import { TemperatureHistory } from './temperature-history.js';

describe('G-code autocomplete', () => {
  it('suggests by prefix in numeric order with the exact code first', () => {
    expect(suggestGcodes('m10').map((e) => e.code)).toEqual(['M104', 'M105', 'M106', 'M107', 'M108', 'M109']);
    expect(suggestGcodes('M1', 3).map((e) => e.code)).toEqual(['M17', 'M18', 'M104']);
    expect(suggestGcodes('G28')[0]?.code).toBe('G28');
    expect(suggestGcodes('')).toEqual([]);
    expect(suggestGcodes('M104 S')).toEqual([]);
    expect(describeGcode('m115')?.description).toMatch(/firmware/i);
    expect(describeGcode('X1')).toBeUndefined();
  });
});

describe('TemperatureHistory', () => {
  it('keeps at most 30 minutes at one sample per second whatever the report rate', () => {
    const history = new TemperatureHistory();
    for (let t = 0; t < 3 * 3600_000; t += 250) history.add(t, [{ heater: 'T0', current: 200 + Math.sin(t / 1000), target: 200 }]);
    expect(history.sampleCount('T0')).toBeLessThanOrEqual(1801);
    expect(history.sampleCount('T0')).toBeGreaterThan(1700);
  });

  it('decimates to the chart width and keeps spikes', () => {
    const history = new TemperatureHistory();
    for (let s = 0; s < 1800; s++) history.add(s * 1000, [{ heater: 'B', current: s === 900 ? 999 : 60, target: s < 600 ? 0 : 60 }]);
    const [bed] = history.series(1_800_000, 100);
    expect(bed?.current.length).toBeLessThanOrEqual(200);
    expect(Math.max(...bed!.current.map((p) => p.value))).toBe(999);
    expect(bed?.target.map((p) => p.value)).toEqual([0, 60, 60]);
    expect(bed?.latest).toEqual({ current: 60, target: 60 });
  });

  it('drops samples older than the window', () => {
    const history = new TemperatureHistory(10_000, 1000);
    for (let s = 0; s < 30; s++) history.add(s * 1000, [{ heater: 'T0', current: s, target: 0 }]);
    const [t0] = history.series(29_000, 1000);
    expect(t0!.current[0]!.t).toBeGreaterThanOrEqual(19_000);
  });
});

describe('remaining time', () => {
  it('uses the slicer at the start and the measured rate later', () => {
    expect(estimateRemainingSeconds({ elapsedMs: 0, fraction: 0, slicerEstimateSeconds: 3600 })).toBe(3600);
    // The print runs twice as slow as the slicer said.
    const late = estimateRemainingSeconds({ elapsedMs: 3600_000, fraction: 0.5, slicerEstimateSeconds: 3600 })!;
    expect(late).toBeCloseTo(3600, 0);
    const mid = estimateRemainingSeconds({ elapsedMs: 720_000, fraction: 0.1, slicerEstimateSeconds: 3600 })!;
    expect(mid).toBeGreaterThan(3240);
    expect(mid).toBeLessThan(6480);
    expect(estimateRemainingSeconds({ elapsedMs: 1000, fraction: 0.001 })).toBeUndefined();
    expect(estimateRemainingSeconds({ elapsedMs: 60_000, fraction: 0.25 })).toBeCloseTo(180);
    expect(estimateRemainingSeconds({ elapsedMs: 60_000, fraction: 1, slicerEstimateSeconds: 10 })).toBe(0);
  });

  it('formats durations', () => {
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(undefined)).toBe('–');
  });
});

describe('material presets', () => {
  const limits = { maxHotendTemp: 260, maxBedTemp: 100 };
  it('has the four common materials', () => {
    expect(defaultMaterialPresets.map((p) => p.name)).toEqual(['PLA', 'PETG', 'ABS', 'TPU']);
  });
  it('checks edits against the printer limits in plain words', () => {
    expect(checkMaterialPreset({ name: 'PC', hotend: 290, bed: 100 }, limits)).toEqual({ ok: false, message: expect.stringMatching(/above this printer's hotend limit of 260/) });
    expect(checkMaterialPreset({ name: ' ', hotend: 200, bed: 60 }, limits).ok).toBe(false);
    expect(checkMaterialPreset({ name: 'PLA+', hotend: '215', bed: 'x' }, limits)).toEqual({ ok: false, message: expect.stringMatching(/bed temperature/) });
    expect(checkMaterialPreset({ name: 'PLA+', hotend: '215', bed: '65' }, limits)).toEqual({ ok: true, preset: { name: 'PLA+', hotend: 215, bed: 65 } });
  });
  it('reads damaged storage as the defaults and keeps good entries', () => {
    expect(readMaterialPresets('garbage')).toEqual(defaultMaterialPresets);
    expect(readMaterialPresets([{ name: 'PLA', hotend: 210, bed: 55 }, null, { name: 5 }])).toEqual([{ name: 'PLA', hotend: 210, bed: 55 }]);
  });
  it('edits by index and replaces by name', () => {
    const renamed = upsertMaterialPreset(defaultMaterialPresets, { name: 'Silk PLA', hotend: 215, bed: 60 }, 0);
    expect(renamed.map((p) => p.name)).toEqual(['Silk PLA', 'PETG', 'ABS', 'TPU']);
    const added = upsertMaterialPreset(renamed, { name: 'ASA', hotend: 250, bed: 100 });
    expect(added).toHaveLength(5);
    expect(upsertMaterialPreset(added, { name: 'ABS', hotend: 240, bed: 95 }).find((p) => p.name === 'ABS')?.hotend).toBe(240);
  });
});

describe('history statistics', () => {
  const job = (id: string, outcome: JobRecord['outcome'], startedAt: number, hours: number, filamentUsedMm: number): JobRecord => ({
    id,
    gcodeId: 'g',
    fileName: `${id}.gcode`,
    printerId: 'p',
    printerName: 'P',
    startedAt,
    updatedAt: startedAt + hours * 3600_000,
    endedAt: outcome === 'running' ? undefined : startedAt + hours * 3600_000,
    outcome,
    progress: 1,
    lastLine: 0,
    filamentUsedMm,
  });
  const jobs = [job('a', 'completed', 1000, 2, 5000), job('b', 'failed', 3000, 1, 100), job('c', 'completed', 2000, 1.5, 3000), job('d', 'running', 4000, 0.5, 50)];
  it('sorts newest first and filters by outcome', () => {
    expect(jobsNewestFirst(jobs).map((j) => j.id)).toEqual(['d', 'b', 'c', 'a']);
    expect(jobsNewestFirst(jobs, 'completed').map((j) => j.id)).toEqual(['c', 'a']);
  });
  it('totals hours, filament and success over finished jobs', () => {
    const totals = historyTotals(jobs);
    expect(totals.printHours).toBeCloseTo(5);
    expect(totals.filamentMm).toBe(8150);
    expect(totals.successRate).toBeCloseTo(2 / 3);
    expect(historyTotals([]).successRate).toBeUndefined();
  });
});

describe('connect dialog', () => {
  it('filters the usual printer chips', () => {
    expect(portFilters(false)?.map((f) => f.usbVendorId)).toEqual([0x1a86, 0x10c4, 0x0403, 0x2341, 0x2a03, 0x0483]);
    expect(portFilters(true)).toBeUndefined();
    expect(baudRates[0]).toBe(115200);
    expect(baudRates).toContain('auto');
    expect(describePort({ usbVendorId: 0x1a86, usbProductId: 0x7523 })).toBe('CH340 USB serial');
    expect(describePort({ usbVendorId: 0x1234, usbProductId: 0x1 })).toBe('USB device 1234:0001');
  });
  it('warns about resets and CH340 at 250000', () => {
    expect(connectWarnings({ kind: 'simulator', baudRate: 250000 })).toEqual([]);
    expect(connectWarnings({ kind: 'serial', baudRate: 115200, usbVendorId: 0x1a86 }).map((w) => w.id)).toEqual(['reset']);
    expect(connectWarnings({ kind: 'serial', baudRate: 250000, usbVendorId: 0x1a86 }).map((w) => w.id)).toEqual(['reset', 'ch340-250000']);
    expect(connectWarnings({ kind: 'serial', baudRate: 250000, usbVendorId: 0x0403 }).map((w) => w.id)).toEqual(['reset']);
  });
  it('tells noise (wrong baud rate) from silence and from a real firmware', () => {
    expect(looksLikeWrongBaud(['\u00e0\u00fe\u0083x\u00c1\u00ff', '\ufffd\ufffdA\ufffd'])).toBe(true);
    expect(looksLikeWrongBaud([])).toBe(false);
    expect(looksLikeWrongBaud(['start', 'echo:Marlin 2.1'])).toBe(false);
    expect(looksLikeWrongBaud(['\u00e0\u00fe\u0083x', 'ok'])).toBe(false);
  });

  it('explains failures in plain words', () => {
    expect(webSerialProblem({ hasSerial: false, secureContext: true })?.message).toMatch(/Chrome or Microsoft Edge/);
    expect(webSerialProblem({ hasSerial: true, secureContext: true })).toBeNull();
    expect(explainConnectError(new DOMException('No port selected by the user.', 'NotFoundError')).kind).toBe('cancelled');
    expect(explainConnectError(new DOMException('Access denied', 'SecurityError')).kind).toBe('permission');
    const busy = explainConnectError(new DOMException('Failed to open serial port.', 'NetworkError'));
    expect(busy.kind).toBe('busy');
    expect(busy.message).toMatch(/Cura, OctoPrint/);
    expect(busy.message).toMatch(/Sliceport tab/);
    expect(explainConnectError({ code: 'no-reply', message: 'x', fatal: true }).kind).toBe('no-reply');
    expect(explainConnectError({ code: 'garbled', message: 'Unreadable replies', fatal: true }).kind).toBe('wrong-baud');
    // The engine's two handshake failures: both mention the baud rate, only one got an answer.
    const silent = { code: 'handshake-failed', message: 'The printer did not answer. Check the cable, that the printer is on, and the baud rate.', fatal: true };
    const garbled = { code: 'handshake-failed', message: 'The printer answered but did not complete the handshake. Check the baud rate and the firmware.', fatal: true };
    expect(explainConnectError(silent).kind).toBe('no-reply');
    expect(explainConnectError(garbled).kind).toBe('wrong-baud');
    expect(explainConnectError(garbled).message).toMatch(/baud rate\) is probably wrong/);
    const unreadable = { code: 'handshake-failed', message: 'The printer answered, but its replies are unreadable: the baud rate is wrong.', fatal: true };
    expect(explainConnectError(unreadable).kind).toBe('wrong-baud');
    const openFailed = {
      code: 'open-failed',
      message: 'The printer’s port could not be opened. Unplug the USB cable, plug it back in, and try again.',
      detail: 'The printer’s port could not be opened. — NetworkError — Failed to open serial port.',
      fatal: false,
    };
    expect(explainConnectError(openFailed).kind).toBe('busy');
    expect(explainConnectError(new DOMException('The device has been lost.', 'NetworkError')).kind).toBe('lost');
    // The transport's words for an open() refused by the system: in practice, another program holds the port.
    expect(explainConnectError({ code: 'connect-failed', message: 'The printer’s port could not be opened. Unplug the USB cable, plug it back in, and try again.', fatal: false }).kind).toBe('busy');
    expect(explainConnectError({ code: 'x', message: 'Something odd', fatal: true })).toMatchObject({ kind: 'other', message: 'Something odd' });
  });
});

describe('controls', () => {
  const cold = [{ heater: 'T0' as const, current: 25, target: 0 }];
  const hot = [{ heater: 'T0' as const, current: 205, target: 205 }];
  it('builds jog, fan, override and temperature commands', () => {
    expect(jogCommands('Z', -0.1)).toEqual(['G91', 'G1 Z-0.1 F600', 'G90']);
    expect(jogCommands('X', 0)).toEqual([]);
    expect(fanCommand(100)).toBe('M106 S255');
    expect(fanCommand(0)).toBe('M107');
    expect(overrideCommand('flow', 95)).toEqual({ ok: true, commands: ['M221 S95'] });
    expect(overrideCommand('speed', 5).ok).toBe(false);
    expect(setTemperatureCommand('T1', 210)).toBe('M104 T1 S210');
    expect(setTemperatureCommand('B', 60.4)).toBe('M140 S60');
  });
  it('refuses to extrude while cold', () => {
    const refused = extrudeCommands(5, 5, cold);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/too cold.*25 °C.*170 °C/);
    expect(extrudeCommands(-3, 25, hot)).toEqual({ ok: true, commands: ['M83', 'G1 E-3 F1500'] });
  });
  it('asks to confirm the emergency stop only when that cannot cost a print', () => {
    expect(emergencyStopNeedsConfirmation('idle', undefined, cold)).toBe(true);
    expect(emergencyStopNeedsConfirmation('printing', undefined, hot)).toBe(false);
    expect(emergencyStopNeedsConfirmation('idle', undefined, hot)).toBe(false);
  });
});

describe('job summary and notifications', () => {
  const progress = (over: Partial<JobProgress>): JobProgress => ({
    jobId: 'j',
    gcodeId: 'g',
    fileName: 'cube.gcode',
    state: 'printing',
    bytesSent: 250,
    totalBytes: 1000,
    linesSent: 10,
    startedAt: 0,
    elapsedMs: 60_000,
    filamentUsedMm: 1500,
    ...over,
  });
  it('shows percent, times, layer and filament', () => {
    const s = summarizeJob(progress({ layer: 3, layerCount: 12 }));
    expect(s).toMatchObject({ percentText: '25%', elapsedText: '1 min 00 s', remainingText: '3 min 00 s', layerText: '4 of 12', filamentText: '1.50 m' });
    expect(summarizeJob(progress({ state: 'completed', bytesSent: 990 })).percentText).toBe('100%');
  });
  it('notifies on the end of a job and on prompts, once', () => {
    expect(attentionNotice(progress({}), progress({ state: 'completed' }), null, false)?.title).toBe('Print finished');
    expect(attentionNotice(progress({ state: 'completed' }), progress({ state: 'completed' }), null, false)).toBeNull();
    expect(attentionNotice(progress({}), progress({}), { text: 'Filament runout', buttons: ['Continue'] }, false)?.body).toBe('Filament runout');
    expect(attentionNotice(progress({}), progress({ state: 'interrupted', reason: 'cable' }), null, false)?.title).toBe('Print interrupted');
  });
});
