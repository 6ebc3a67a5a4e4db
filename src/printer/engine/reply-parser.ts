// What a line from Marlin means. Replies carry no checksum and may arrive garbled, so parsing is lenient
// (anything unrecognised is just a log line) and the engine is strict about acting on it.

import type { Position, TemperatureReading, HeaterId } from '../link-api.js';
import { readLineError, readResendRequest } from './resend-wording.js';

export interface AdvancedOk {
  line: number;
  plannerFree: number;
  commandFree: number;
}

export type Reply =
  | { kind: 'ok'; payload: string; advanced?: AdvancedOk; temperatures?: TemperatureReading[]; position?: Position }
  | { kind: 'resend'; line: number }
  | { kind: 'line-error'; lastLine?: number; text: string }
  | { kind: 'error'; text: string; fatal: boolean }
  | { kind: 'unknown-command'; text: string }
  | { kind: 'busy'; text: string }
  | { kind: 'wait' }
  | { kind: 'start' }
  | { kind: 'temperatures'; readings: TemperatureReading[]; waiting: boolean }
  | { kind: 'position'; position: Position }
  | { kind: 'firmware'; name: string; fields: Record<string, string> }
  | { kind: 'capability'; name: string; enabled: boolean }
  | { kind: 'action'; name: string; argument: string }
  | { kind: 'echo'; text: string }
  | { kind: 'other'; text: string };

const FATAL_PATTERNS = [
  /kill\(\) called/i,
  /printer halted/i,
  /printer stopped due to errors/i,
  /heating failed/i,
  /thermal runaway/i,
  /maxtemp/i,
  /mintemp/i,
];

export function isFatalError(text: string): boolean {
  return FATAL_PATTERNS.some((p) => p.test(text));
}

export function parseReply(raw: string): Reply {
  const text = raw.replace(/\r/g, '').trim();
  if (text === 'ok' || text.startsWith('ok ') || text.startsWith('ok\t')) return parseOk(text.slice(2).trim());
  if (text === 'start') return { kind: 'start' };
  if (text === 'wait') return { kind: 'wait' };

  // Every firmware's wording (see resend-wording.ts); a number too long to be a line number is garbled.
  const resend = readResendRequest(text);
  if (resend !== null) return { kind: 'resend', line: resend };

  if (/^(?:error|!!)/i.test(text)) {
    const body = text.replace(/^(?:error\s*:?|!!)\s*/i, '');
    // Garbled replies are common on a noisy line: any error naming the last line is about line numbers.
    const lineError = readLineError(body);
    if (lineError) return lineError.lastLine !== undefined ? { kind: 'line-error', lastLine: lineError.lastLine, text: body } : { kind: 'line-error', text: body };
    return { kind: 'error', text: body, fatal: isFatalError(body) };
  }

  if (/^echo\s*:\s*busy\s*:/i.test(text) || /^busy\s*:/i.test(text)) {
    return { kind: 'busy', text: text.replace(/^echo\s*:\s*/i, '') };
  }
  if (/^echo\s*:\s*unknown command/i.test(text)) return { kind: 'unknown-command', text: text.replace(/^echo\s*:\s*/i, '') };

  if (text.startsWith('//action:')) {
    const rest = text.slice('//action:'.length).trim();
    const space = rest.indexOf(' ');
    return space < 0
      ? { kind: 'action', name: rest.toLowerCase(), argument: '' }
      : { kind: 'action', name: rest.slice(0, space).toLowerCase(), argument: rest.slice(space + 1).trim() };
  }

  const cap = /^Cap:([A-Z0-9_]+):\s*([01])\s*$/i.exec(text);
  if (cap) return { kind: 'capability', name: cap[1]!.toUpperCase(), enabled: cap[2] === '1' };

  if (text.startsWith('FIRMWARE_NAME:')) return { kind: 'firmware', ...parseFirmwareLine(text) };

  const temps = parseTemperatures(text);
  if (temps && /^(?:T\d*|B|C)\s*:/.test(text)) return { kind: 'temperatures', readings: temps, waiting: /\bW:/.test(text) };

  const pos = parsePosition(text);
  if (pos) return { kind: 'position', position: pos };

  if (/^echo\s*:/i.test(text)) return { kind: 'echo', text: text.replace(/^echo\s*:\s*/i, '') };
  if (/fatal|kill\(\) called/i.test(text) && isFatalError(text)) return { kind: 'error', text, fatal: true };
  return { kind: 'other', text };
}

function parseOk(payload: string): Reply {
  const adv = /^N\s*(\d+)\s+P\s*(\d+)\s+B\s*(\d+)/.exec(payload);
  const reply: { kind: 'ok'; payload: string; advanced?: AdvancedOk; temperatures?: TemperatureReading[]; position?: Position } = { kind: 'ok', payload };
  if (adv && adv.slice(1, 4).every((n) => Number.isSafeInteger(Number(n)))) {
    reply.advanced = { line: Number(adv[1]), plannerFree: Number(adv[2]), commandFree: Number(adv[3]) };
  }
  const temps = /(?:^|\s)(?:T\d*|B):/.test(payload) ? parseTemperatures(payload) : null;
  if (temps) reply.temperatures = temps;
  // Some firmwares answer M114 in the `ok` line itself (Smoothieware: `ok C: X:10.0000 Y:20.0000 Z:0.3000 E:0.0000`).
  const position = /(?:^|\s)X:/.test(payload) ? parsePosition(payload) : null;
  if (position) reply.position = position;
  return reply;
}

/** `FIRMWARE_NAME:Marlin 2.1.2 (Github) SOURCE_CODE_URL:… MACHINE_TYPE:Ender-3 EXTRUDER_COUNT:1` */
export function parseFirmwareLine(text: string): { name: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  // A key starts a word: `SOURCE_CODE_URL:https://…` must not yield `HTTPS` as a key. Checked in the
  // pattern, so a long run of capitals is not rescanned from every letter.
  const re = /(?<!\S)([A-Z][A-Z0-9_]+):/g;
  const keys: { key: string; start: number; valueStart: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    keys.push({ key: m[1]!, start: m.index, valueStart: m.index + m[0].length });
  }
  keys.forEach((k, i) => {
    const end = i + 1 < keys.length ? keys[i + 1]!.start : text.length;
    fields[k.key] = text.slice(k.valueStart, end).trim();
  });
  return { name: fields['FIRMWARE_NAME'] ?? '', fields };
}

/** ` T:210.0 /210.0 B:60.0 /60.0 T0:… @:127 B@:0 W:3` → readings for T0…, B, C. */
export function parseTemperatures(text: string): TemperatureReading[] | null {
  const re = /(?:^|\s)(T\d*|B|C)\s*:\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*(-?\d+(?:\.\d+)?))?/g;
  const found = new Map<string, TemperatureReading>();
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const name = m[1]!;
    const current = Number(m[2]);
    const target = m[3] !== undefined ? Number(m[3]) : 0;
    if (!Number.isFinite(current) || !Number.isFinite(target)) continue;
    found.set(name, { heater: (name === 'T' ? 'T' : name) as HeaterId, current, target });
  }
  if (found.size === 0) return null;
  // Bare `T:` is the active extruder; it duplicates `T0:` when numbered readings are present.
  const hasNumbered = [...found.keys()].some((k) => /^T\d+$/.test(k));
  const readings: TemperatureReading[] = [];
  for (const [name, r] of found) {
    if (name === 'T') {
      if (hasNumbered) continue;
      readings.push({ ...r, heater: 'T0' });
    } else readings.push(r);
  }
  return readings;
}

/** `X:10.00 Y:20.00 Z:0.30 E:0.00 Count X:800 Y:1600 Z:120` (only the part before `Count`). */
export function parsePosition(text: string): Position | null {
  const head = text.split(/\bCount\b/)[0]!;
  const get = (axis: string): number | undefined => {
    // The number must end where the word ends: `Z:0.;000` is a garbled report, not Z 0 (replies carry
    // no checksum, and a resume lowers the nozzle to this height).
    const m = new RegExp(`(?:^|\\s)${axis}:\\s*(-?\\d+(?:\\.\\d+)?)(?=\\s|$)`).exec(head);
    const value = m ? Number(m[1]) : Number.NaN;
    return Number.isFinite(value) ? value : undefined;
  };
  const x = get('X');
  const y = get('Y');
  const z = get('Z');
  if (x === undefined || y === undefined || z === undefined) return null;
  return { x, y, z, e: get('E') ?? 0 };
}
