// Property tests for what the printer sends back: any line, garbled or hostile, is read as a reply (the
// parser has no error of its own; anything unrecognised is `other`) without throwing, in time linear in
// its length, and the protocol engine fed any bytes at any moment never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineProbe } from './engine-test-kit.js';
import { plainFatal } from './firmware-errors.js';
import { HostPromptBuilder } from './host-prompt.js';
import { parseFirmwareLine, parseReply, parseTemperatures, type Reply } from './reply-parser.js';
import { ResendRequests } from './resend-requests.js';

const RUNS = 10_000;

/** Pieces of real Marlin output, so random lines are often nearly right: the interesting case. */
const replyPieces = [
  'ok', 'ok ', 'N', 'P', 'B', 'T', 'T0', 'T1', 'C', 'W', 'X', 'Y', 'Z', 'E', ':', ' ', '/', '.', '-', '@', 'Count',
  'Resend', 'rs', 'Error', '!!', 'echo', 'busy', 'processing', 'Unknown command', 'Last Line', 'checksum',
  'start', 'wait', 'Cap', 'AUTOREPORT_TEMP', 'FIRMWARE_NAME', 'MACHINE_TYPE', '//action', 'prompt_begin',
  'kill() called', 'MAXTEMP', 'Thermal Runaway', 'Printer halted', '\r', '\t',
];
const number = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.stringMatching(/^-?\d{1,40}(\.\d{0,40})?$/),
);
const marlinLike = fc.array(fc.oneof(fc.constantFrom(...replyPieces), number, fc.string({ maxLength: 4 })), { maxLength: 24 }).map((parts) => parts.join(''));
const anyLine = fc.oneof(marlinLike, fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'binary-ascii', maxLength: 200 }));

function checkReply(reply: Reply): void {
  switch (reply.kind) {
    case 'resend':
      expect(Number.isInteger(reply.line) && reply.line >= 0).toBe(true);
      break;
    case 'line-error':
      if (reply.lastLine !== undefined) expect(Number.isInteger(reply.lastLine) && reply.lastLine >= 0).toBe(true);
      break;
    case 'ok':
      if (reply.advanced) for (const v of Object.values(reply.advanced)) expect(Number.isInteger(v) && v >= 0).toBe(true);
      for (const r of reply.temperatures ?? []) expect(Number.isFinite(r.current) && Number.isFinite(r.target)).toBe(true);
      break;
    case 'temperatures':
      for (const r of reply.readings) expect(Number.isFinite(r.current) && Number.isFinite(r.target)).toBe(true);
      break;
    case 'position':
      for (const v of Object.values(reply.position)) expect(Number.isFinite(v)).toBe(true);
      break;
    default:
      break;
  }
}

/** Hang guard: a reply of this length must be read far within this (linear work is well under 10 ms). */
const LONG_LINE_LIMIT_MS = 500;

describe('serial replies under fuzzing', () => {
  it('reads any line as some reply without throwing, with sane numbers', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        checkReply(parseReply(line));
        parseTemperatures(line);
        parseFirmwareLine(line);
        plainFatal(line);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads very long lines of repeated characters in linear time', () => {
    const prefix = fc.constantFrom('', 'ok', 'ok N', 'FIRMWARE_NAME:', 'Resend', 'resend N', 'rs', 'T:', 'X:1 Y:2 Z:', 'echo:', 'Error:', 'Cap:', '//action:', ' T');
    const filler = fc.constantFrom(' ', 'A', '1', ':', 'T', 'N', '.', 'T:1 ', 'A:', 'X', '\t', '-', 'busy');
    fc.assert(
      fc.property(prefix, filler, fc.integer({ min: 10_000, max: 40_000 }), fc.constantFrom('', 'x', ':', '1', '!'), (head, fill, count, tail) => {
        const line = head + fill.repeat(Math.ceil(count / fill.length)) + tail;
        const started = performance.now();
        checkReply(parseReply(line));
        expect(performance.now() - started).toBeLessThan(LONG_LINE_LIMIT_MS);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a garbled resend request with a long run of spaces in linear time', () => {
    for (const line of [`Resend${' '.repeat(60_000)}x`, `rs N${' '.repeat(60_000)}x`, `resend:${' '.repeat(60_000)}:1`]) {
      const started = performance.now();
      expect(parseReply(line).kind).toBe('other');
      expect(performance.now() - started).toBeLessThan(LONG_LINE_LIMIT_MS);
    }
    expect(parseReply(`Resend: N :${' '.repeat(10)}12  `)).toEqual({ kind: 'resend', line: 12 });
  });

  it('keeps the M115 keys a firmware line names, with long runs of capitals', () => {
    const line = `FIRMWARE_NAME:${'A'.repeat(50_000)} MACHINE_TYPE:Ender-3`;
    const started = performance.now();
    const parsed = parseFirmwareLine(line);
    expect(performance.now() - started).toBeLessThan(LONG_LINE_LIMIT_MS);
    expect(parsed.name).toBe('A'.repeat(50_000));
    expect(parsed.fields['MACHINE_TYPE']).toBe('Ender-3');
  });

  it('reads numbers too long to be real as garbled replies, never as infinite values', () => {
    const huge = '9'.repeat(400);
    expect(parseReply(`Resend: ${huge}`).kind).toBe('other');
    expect(parseReply(`Error:checksum mismatch, Last Line: ${huge}`)).toEqual({ kind: 'line-error', text: `checksum mismatch, Last Line: ${huge}` });
    expect(parseReply(`ok N${huge} P15 B3`)).toEqual({ kind: 'ok', payload: `N${huge} P15 B3` });
    expect(parseReply(`T:20.0 /${huge} B:60.0 /60.0`)).toEqual({ kind: 'temperatures', readings: [{ heater: 'B', current: 60, target: 60 }], waiting: false });
    expect(parseReply(`X:1 Y:2 Z:${huge}`).kind).toBe('other');
  });

  it('judges any resend request without throwing, and never honours a line beyond the last sent', () => {
    const lineNumber = fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, 1e20, Infinity, -Infinity, NaN));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.array(fc.tuple(lineNumber, fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 30 }), (max, requests) => {
        const resends = new ResendRequests(max);
        for (const [line, lastSent, authoritative] of requests) {
          const verdict = resends.judge(line, lastSent, authoritative);
          if (line > lastSent) expect(verdict.kind).toBe('not-sent');
          if (verdict.kind === 'honour') resends.serve(line, 2, 0);
          resends.acknowledged(lastSent);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('assembles host prompts from any sequence of actions', () => {
    const action = fc.constantFrom('prompt_begin', 'prompt_choice', 'prompt_button', 'prompt_show', 'prompt_end', 'pause', 'resume', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(action, fc.string({ maxLength: 30 })), { maxLength: 30 }), (steps) => {
        const builder = new HostPromptBuilder();
        for (const [name, argument] of steps) {
          const shown = builder.apply(name, argument);
          if (shown) expect(Array.isArray(shown.buttons)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('lets the engine take any bytes, before, during and after the handshake, without throwing', () => {
    const chunk = fc.oneof(
      anyLine.map((line) => `${line}\n`),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => String.fromCharCode(...bytes)),
      fc.constantFrom('ok\n', 'Resend: 3\nok\n', 'rs N2\n', 'echo:busy: processing\n', 'wait\n', 'start\n', 'Error:Printer halted. kill() called!\n', '//action:pause\n'),
    );
    const step = fc.oneof(chunk.map((text) => ({ text })), fc.integer({ min: 0, max: 5_000 }).map((ms) => ({ ms })));
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 12 }), (handshakeFirst, steps) => {
        const probe = new EngineProbe();
        if (handshakeFirst) {
          probe.handshake({ AUTOREPORT_TEMP: 1, EMERGENCY_PARSER: 1 });
          probe.engine.send('G28', probe.now);
          probe.engine.send('M105', probe.now);
        } else {
          probe.engine.connect(probe.now);
        }
        for (const s of steps) {
          if ('text' in s) probe.feed(s.text);
          else probe.advance(s.ms);
          probe.written();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
