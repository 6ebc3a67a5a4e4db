import { describe, expect, it } from 'vitest';
import type { LogLine } from '../printer/link-api.js';
import { CommandHistory } from './command-history.js';
import { isPlainOk, isTemperatureReport, TerminalLog } from './terminal-log.js';

const rx = (text: string, at = 0): LogLine => ({ at, direction: 'received', text });
const tx = (text: string, at = 0): LogLine => ({ at, direction: 'sent', text });

describe('TerminalLog', () => {
  it('keeps only the newest lines once full, oldest first', () => {
    const log = new TerminalLog(3);
    log.push([rx('a'), rx('b')]);
    log.push([rx('c'), rx('d'), rx('e')]);
    expect(log.all().map((l) => l.text)).toEqual(['c', 'd', 'e']);
    expect(log.size).toBe(3);
    expect(log.dropped).toBe(2);
  });

  it('stays bounded over a long print', () => {
    const log = new TerminalLog(1000);
    for (let i = 0; i < 100_000; i++) log.push([rx(`ok ${i}`)]);
    expect(log.size).toBe(1000);
    expect(log.all()[0]?.text).toBe('ok 99000');
  });

  it('recognises temperature reports and plain oks', () => {
    expect(isTemperatureReport(rx(' T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0'))).toBe(true);
    expect(isTemperatureReport(rx('ok T:21.3 /0.0 B:20.9 /0.0 @:0 B@:0'))).toBe(true);
    expect(isTemperatureReport(rx('T0:200.1 /200.0 T1:25.0 /0.0 B:60.0 /60.0 W:3'))).toBe(true);
    expect(isTemperatureReport(tx('N12 M105*33'))).toBe(true);
    expect(isTemperatureReport(rx('X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0'))).toBe(false);
    expect(isTemperatureReport(rx('echo:busy: processing'))).toBe(false);
    expect(isPlainOk(rx('ok'))).toBe(true);
    expect(isPlainOk(rx('ok N12 P15 B3'))).toBe(true);
    expect(isPlainOk(rx('ok T:21.3 /0.0'))).toBe(false);
    expect(isPlainOk(tx('ok'))).toBe(false);
  });

  it('filters on read, so turning a filter off shows what arrived meanwhile', () => {
    const log = new TerminalLog(10);
    log.push([tx('M115'), rx('FIRMWARE_NAME:Marlin'), rx('ok'), rx(' T:20.0 /0.0 B:20.0 /0.0'), rx('ok')]);
    const hidden = log.visible({ hideTemperatures: true, hidePlainOks: true }).map((l) => l.text);
    expect(hidden).toEqual(['M115', 'FIRMWARE_NAME:Marlin']);
    expect(log.visible({ hideTemperatures: false, hidePlainOks: false })).toHaveLength(5);
    expect(log.visible({ hideTemperatures: false, hidePlainOks: false }, 2).map((l) => l.text)).toEqual([' T:20.0 /0.0 B:20.0 /0.0', 'ok']);
  });

  it('exports a readable transcript', () => {
    const log = new TerminalLog(10);
    log.push([tx('M115', Date.UTC(2026, 0, 1)), rx('ok', Date.UTC(2026, 0, 1, 0, 0, 1))]);
    expect(log.export()).toBe('2026-01-01T00:00:00.000Z >> M115\n2026-01-01T00:00:01.000Z << ok\n');
    expect(log.export({ hideTemperatures: false, hidePlainOks: true })).toBe('2026-01-01T00:00:00.000Z >> M115\n');
  });

  it('refuses a useless capacity', () => {
    expect(() => new TerminalLog(0)).toThrow(/at least one line/);
  });
});

describe('CommandHistory', () => {
  it('walks back and forth and restores the draft', () => {
    const history = new CommandHistory();
    history.record('M115');
    history.record('G28');
    history.record('G28');
    expect(history.list()).toEqual(['M115', 'G28']);
    expect(history.previous('M10')).toBe('G28');
    expect(history.previous('G28')).toBe('M115');
    expect(history.previous('M115')).toBeNull();
    expect(history.next()).toBe('G28');
    expect(history.next()).toBe('M10');
    expect(history.next()).toBeNull();
  });

  it('is bounded and ignores blank commands', () => {
    const history = new CommandHistory(3);
    for (const c of ['a', ' ', 'b', 'c', 'd']) history.record(c);
    expect(history.list()).toEqual(['b', 'c', 'd']);
    history.load(['x', 1, '', 'y', 'z', 'w']);
    expect(history.list()).toEqual(['y', 'z', 'w']);
    expect(history.previous('')).toBe('w');
  });
});
