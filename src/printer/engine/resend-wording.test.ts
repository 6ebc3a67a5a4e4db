import { describe, expect, it } from 'vitest';
import { parseReply } from './reply-parser.js';
import { isOutOfSequence, isSkipNotice, readLineError, readResendRequest } from './resend-wording.js';

// Every wording a host meets for "line 100 did not arrive right, send it again".
const LINE_ERRORS: Array<[firmware: string, text: string, lastLine: number | undefined]> = [
  ['Marlin, Prusa-Firmware (out of sequence)', 'Error:Line Number is not Last Line Number+1, Last Line: 99', 99],
  ['Marlin, Prusa-Firmware (checksum)', 'Error:checksum mismatch, Last Line: 99', 99],
  ['Marlin (no checksum)', 'Error:No Checksum with line number, Last Line: 99', 99],
  ['Marlin 1.1 (no line number)', 'Error:No Line Number with checksum, Last Line: 99', 99],
  ['APrinter (no space)', 'Error:Line Number is not Last Line Number+1, Last Line:99', 99],
  ['Repetier-Firmware (out of sequence)', 'Error:expected line 100 got 101', 99],
  ['Repetier-Firmware, capitalised', 'Error: Expected Line 100 got 101', 99],
  ['an emulation reporting with !!', '!! expected line 100 got 101', 99],
  ['Repetier-Firmware (checksum)', 'Error:Wrong checksum', undefined],
  ['Repetier-Firmware (no checksum)', 'Error:Missing checksum', undefined],
  ['Repetier-Firmware (format)', 'Error:Format error', undefined],
];

const RESEND_REQUESTS: Array<[firmware: string, text: string]> = [
  ['Marlin, Prusa-Firmware', 'Resend: 100'],
  ['Repetier-Firmware', 'Resend:100'],
  ['Marlin (short form)', 'rs 100'],
  ['Smoothieware', 'rs N100'],
  ['older hosts and forks', 'rs N:100'],
  ['older hosts and forks', 'Resend: N:100'],
  ['Teacup (checksum)', 'rs N100 Expected checksum 57'],
  ['Teacup (sequence)', 'rs N100 Expected line number 100'],
  ['RepRapFirmware', 'rs 100'],
  ['shouting', 'RESEND: 100'],
];

describe('resend and line-error wordings', () => {
  for (const [firmware, text, lastLine] of LINE_ERRORS) {
    it(`reads "${text}" (${firmware}) as a line error${lastLine === undefined ? '' : ` after line ${lastLine}`}`, () => {
      const reply = parseReply(text);
      expect(reply.kind).toBe('line-error');
      expect(reply.kind === 'line-error' ? reply.lastLine : 'no').toBe(lastLine);
    });
  }

  for (const [firmware, text] of RESEND_REQUESTS) {
    it(`reads "${text}" (${firmware}) as a request for line 100`, () => {
      expect(parseReply(text)).toEqual({ kind: 'resend', line: 100 });
    });
  }

  it('does not take other errors or garbled requests for line business', () => {
    expect(readLineError('Thermal Runaway, system stopped! Heater_ID: 0')).toBeNull();
    expect(readLineError('Printer halted. kill() called!')).toBeNull();
    expect(readLineError('expected line 0 got 3')).toEqual({});
    expect(readResendRequest('Resend: 1x2')).toBeNull();
    expect(readResendRequest('Resend: 12 3')).toBeNull();
    expect(readResendRequest('rs')).toBeNull();
    expect(readResendRequest(`Resend: ${'9'.repeat(40)}`)).toBeNull();
    expect(isSkipNotice('skip 101')).toBe(true);
    expect(isSkipNotice('skip me')).toBe(false);
  });

  it('reads a position given in the ok line (Smoothieware answers M114 there)', () => {
    const reply = parseReply('ok C: X:10.0000 Y:20.5000 Z:0.3000 E:1.2000');
    expect(reply.kind === 'ok' && reply.position).toEqual({ x: 10, y: 20.5, z: 0.3, e: 1.2 });
    const plain = parseReply('ok T:210.0 /210.0 B:60.0 /60.0');
    expect(plain.kind === 'ok' && plain.position).toBeUndefined();
  });
});

describe('position reports', () => {
  it('refuses a garbled number rather than reading part of it (a resume lowers the nozzle to it)', () => {
    expect(parseReply('ok C: X:70.1300 Y:97.2200 Z:0.;000 E:19.2900')).toEqual({ kind: 'ok', payload: 'C: X:70.1300 Y:97.2200 Z:0.;000 E:19.2900' });
    expect(parseReply('X:10.00 Y:20.00 Z:1O.30 E:0.00 Count X:800 Y:1600 Z:4120').kind).toBe('other');
    expect(parseReply('X:10.00 Y:20.00 Z:10.30 E:0.00 Count X:800 Y:1600 Z:4120')).toEqual({ kind: 'position', position: { x: 10, y: 20, z: 10.3, e: 0 } });
  });
});

describe('out-of-sequence line errors', () => {
  it('tells a line out of sequence from a damaged one, also garbled', () => {
    expect(isOutOfSequence('Line Number is not Last Line Number+1, Last Line: 99')).toBe(true);
    expect(isOutOfSequence('Line Number is not Last Mine Number+1, Last Line: 99')).toBe(true);
    expect(isOutOfSequence('expected line 100 got 101')).toBe(true);
    expect(isOutOfSequence('checksum mismatch, Last Line: 99')).toBe(false);
    expect(isOutOfSequence('No Checksum with line number, Last Line: 99')).toBe(false);
    expect(isOutOfSequence('Wrong checksum')).toBe(false);
  });
});
