import { describe, expect, it } from 'vitest';
import { parseFirmwareLine, parseReply } from './reply-parser.js';

describe('reply parser', () => {
  it('reads ok with and without payload, and ADVANCED_OK', () => {
    expect(parseReply('ok')).toEqual({ kind: 'ok', payload: '' });
    const t = parseReply('ok T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0');
    expect(t.kind === 'ok' && t.temperatures).toEqual([
      { heater: 'T0', current: 210, target: 210 },
      { heater: 'B', current: 60, target: 60 },
    ]);
    const a = parseReply('ok N12 P15 B3');
    expect(a.kind === 'ok' && a.advanced).toEqual({ line: 12, plannerFree: 15, commandFree: 3 });
  });
  it('reads resend requests in every form', () => {
    for (const s of ['Resend: 12', 'Resend:12', 'rs 12', 'rs N12', 'Resend: N:12', 'rs N:12']) {
      expect(parseReply(s)).toEqual({ kind: 'resend', line: 12 });
    }
  });
  it('tells line errors, fatal errors and harmless ones apart', () => {
    expect(parseReply('Error:checksum mismatch, Last Line: 41')).toMatchObject({ kind: 'line-error', lastLine: 41 });
    expect(parseReply('Error:Line Number is not Last Line Number+1, Last Line: 7')).toMatchObject({ kind: 'line-error', lastLine: 7 });
    expect(parseReply('Error:Thermal Runaway, system stopped! Heater_ID: 0')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseReply('Error:Printer halted. kill() called!')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseReply('Error:MAXTEMP triggered, system stopped!')).toMatchObject({ kind: 'error', fatal: true });
    expect(parseReply('Error:volume.init failed')).toMatchObject({ kind: 'error', fatal: false });
    expect(parseReply('echo:Unknown command: "G999"')).toMatchObject({ kind: 'unknown-command' });
  });
  it('reads busy, wait, start, actions, capabilities and temperatures with several extruders', () => {
    expect(parseReply('echo:busy: processing').kind).toBe('busy');
    expect(parseReply('busy: paused for user').kind).toBe('busy');
    expect(parseReply('wait').kind).toBe('wait');
    expect(parseReply('start').kind).toBe('start');
    expect(parseReply('//action:prompt_begin Filament runout')).toEqual({ kind: 'action', name: 'prompt_begin', argument: 'Filament runout' });
    expect(parseReply('Cap:AUTOREPORT_TEMP:1')).toEqual({ kind: 'capability', name: 'AUTOREPORT_TEMP', enabled: true });
    const r = parseReply(' T:200.0 /200.0 B:50.0 /60.0 T0:200.0 /200.0 T1:30.0 /0.0 C:25.0 /0.0 @:0 B@:0 W:3');
    expect(r.kind === 'temperatures' && r.readings.map((x) => x.heater).sort()).toEqual(['B', 'C', 'T0', 'T1']);
    expect(r.kind === 'temperatures' && r.waiting).toBe(true);
    expect(parseReply('X:10.00 Y:20.50 Z:0.30 E:1.20 Count X:800 Y:1640 Z:120')).toEqual({ kind: 'position', position: { x: 10, y: 20.5, z: 0.3, e: 1.2 } });
  });
  it('is lenient with garbage and garbled replies', () => {
    expect(parseReply('o\u00ebk').kind).toBe('other');
    expect(parseReply('Resend: 1x2').kind).not.toBe('resend');
  });
  it('splits M115 fields with spaces in values', () => {
    const f = parseFirmwareLine('FIRMWARE_NAME:Marlin 2.1.2 (Github) SOURCE_CODE_URL:https://github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Ender-3 V2 EXTRUDER_COUNT:1');
    expect(f.name).toBe('Marlin 2.1.2 (Github)');
    expect(f.fields['MACHINE_TYPE']).toBe('Ender-3 V2');
    expect(f.fields['SOURCE_CODE_URL']).toBe('https://github.com/MarlinFirmware/Marlin');
  });
});
