// Exactly-once torture test: a real sliced print streamed through a noisy line (about one line in a
// hundred corrupted in each direction) to a firmware that also asks for spurious resends, goes busy,
// and loses or repeats `ok`s. What the firmware executed must be the file's commands, in order, with no
// gap and no duplicate, in both flow-control modes.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowMode } from './flow-policy.js';
import { makeRig } from './engine-on-wire.js';
import { stripComment } from './line-framing.js';

const REAL_GCODE = resolve(process.cwd(), '../shared/data/gcode/generated/curaengine-4.13-native_3DBenchy_ender3_standard_0.2mm.gcode');

/** A print-like file made here, so a plain clone still runs the test. */
function generatedPrint(moves: number): string {
  const out = ['; generated', 'M140 S60', 'M104 S200', 'M190 S60', 'M109 S200', 'G28', 'G90', 'M82', 'G92 E0', ';LAYER_COUNT:20'];
  let e = 0;
  for (let i = 0; i < moves; i++) {
    if (i % 1000 === 0) out.push(`;LAYER:${i / 1000}`, `G0 Z${(0.2 + (i / 1000) * 0.2).toFixed(2)} F600`);
    e += 0.0312;
    const a = i / 40;
    out.push(`G1 X${(110 + 30 * Math.cos(a)).toFixed(3)} Y${(110 + 30 * Math.sin(a)).toFixed(3)} E${e.toFixed(5)}${i % 50 === 0 ? ' F2400' : ''}`);
  }
  out.push('M104 S0', 'M140 S0', 'M84');
  return out.join('\n') + '\n';
}

interface TortureResult {
  executed: string[];
  expected: string[];
  finalMode: FlowMode;
  virtualMinutes: number;
  counters: Record<string, number>;
}

function torture(text: string, mode: FlowMode, seed: number, firmware: { advancedOk?: boolean } = {}): TortureResult {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  const expected = text.split('\n').map(stripComment).filter((l) => l.length > 0);
  // About one line in a hundred hit in each direction: framed lines average ~`avgLine` bytes, replies
  // (mostly `ok`) ~4 bytes.
  const avgLine = text.length / expected.length + 10;
  const perByte = 1 / (100 * avgLine);
  const rig = makeRig(
    // This noise is a hundred times worse than a bad cable: the engine would rightly fall back to safe
    // mode. Fallback is tested on its own; here each mode must hold up by itself.
    { flowControl: mode, troubleLimit: Number.POSITIVE_INFINITY, extraOkLimit: Number.POSITIVE_INFINITY },
    {
      seed,
      ...firmware,
      faults: {
        spuriousResendRate: 0.002,
        missingOkAfterResendRate: 0.3,
        // Duplicated `ok`s only where ADVANCED_OK numbers them: without numbers an extra `ok` makes any
        // character-counting host overfill the buffer, and Marlin's XOR checksum misses 1 in 256 of
        // the merged lines that follows (see the separate duplicated-ok test).
        duplicateOkRate: firmware.advancedOk ? 0.002 : 0,
        busyStallRate: 0.0005,
        busyStallMs: 4_000,
      },
    },
    {
      seed,
      // Mostly flipped bits, some lost bytes (a lost newline merges two lines).
      hostToPrinter: { latencyMs: 1, faults: { corruptRate: perByte * 0.8, dropRate: perByte * 0.2, minBytesBetweenFaults: 120 } },
      printerToHost: { latencyMs: 1, faults: { corruptRate: 1 / 500, dropRate: 1 / 2000, minBytesBetweenFaults: 8 } },
    },
  );
  rig.connect();
  const start = rig.printer.executionLog.length;
  rig.startJob(bytes, 65_536);
  rig.run(() => {
    const s = rig.engine.jobState;
    return s === 'completed' || s === 'failed' || s === 'cancelled';
  }, 48 * 3600_000);
  const failure = rig.events.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.error.message : ''));
  if (rig.engine.jobState !== 'completed') throw new Error(`job ended ${rig.engine.jobState}: ${failure.join(' | ')}`);
  const log = rig.printer.executionLog.slice(start).filter((c) => c.via === 'queue' && c.line !== null).map((c) => c.command);
  // The job starts with the host's M110; temperature polls are host housekeeping, not part of the file.
  const executed = log.slice(log.indexOf('M110 N0') + 1).filter((c) => c !== 'M105');
  return {
    executed,
    expected: expected.filter((c) => c !== 'M105'),
    finalMode: rig.engine.currentFlowMode,
    virtualMinutes: rig.wire.now / 60_000,
    counters: {
      ...rig.printer.counters,
      rxCorrupted: rig.wire.stats.toPrinter.corrupted + rig.wire.stats.toPrinter.dropped,
      txCorrupted: rig.wire.stats.toHost.corrupted + rig.wire.stats.toHost.dropped,
    },
  };
}

function assertExactlyOnce(r: TortureResult): void {
  // Compare by index first for a readable failure, then in full.
  const firstDiff = r.executed.findIndex((c, i) => c !== r.expected[i]);
  expect(firstDiff === -1 ? null : { index: firstDiff, got: r.executed.slice(firstDiff, firstDiff + 3), want: r.expected.slice(firstDiff, firstDiff + 3) }).toBeNull();
  expect(r.executed.length).toBe(r.expected.length);
  expect(r.executed).toEqual(r.expected);
}

describe('exactly once through a noisy line (generated print)', () => {
  for (const mode of ['safe', 'fast'] as const) {
    it(`${mode} mode: 15,000 moves, every command executed once, in order`, () => {
      const r = torture(generatedPrint(15_000), mode, mode === 'safe' ? 11 : 12);
      assertExactlyOnce(r);
      const lines = r.expected.length;
      // The faults really happened, at about the intended rate.
      expect(r.counters['rxCorrupted']).toBeGreaterThan(lines / 200);
      expect(r.counters['txCorrupted']).toBeGreaterThan(lines / 200);
      expect(r.counters['resendsRequested']).toBeGreaterThan(lines / 200);
      expect(r.counters['oksOmittedAfterResend']).toBeGreaterThan(0);
      expect(r.counters['stalls']).toBeGreaterThan(0);
      expect(r.finalMode).toBe(mode);
    });
  }
});

describe('exactly once through a noisy line (ADVANCED_OK firmware)', () => {
  it('fast mode bounded by free command slots: every command executed once, in order', () => {
    const r = torture(generatedPrint(8_000), 'fast', 13, { advancedOk: true });
    assertExactlyOnce(r);
    expect(r.counters['oksDuplicated']).toBeGreaterThan(0);
    expect(r.counters['resendsRequested']).toBeGreaterThan(r.expected.length / 200);
    expect(r.finalMode).toBe('fast');
  });
});

describe.skipIf(!existsSync(REAL_GCODE))('exactly once through a noisy line (real 120k-line Benchy)', () => {
  if (!existsSync(REAL_GCODE)) console.warn(`Skipping the 120k-line torture test: ${REAL_GCODE} is absent.`);
  for (const mode of ['safe', 'fast'] as const) {
    it(`${mode} mode: the whole file executed exactly once`, () => {
      const text = readFileSync(REAL_GCODE, 'latin1');
      const r = torture(text, mode, mode === 'safe' ? 21 : 22);
      expect(r.expected.length).toBeGreaterThan(100_000);
      assertExactlyOnce(r);
      expect(r.finalMode).toBe(mode);
      console.info(`${mode}: ${r.expected.length} commands, ${r.virtualMinutes.toFixed(0)} virtual minutes, resends ${r.counters['resendsRequested']}, rx corrupted ${r.counters['rxCorrupted']}, tx corrupted ${r.counters['txCorrupted']}`);
    }, 180_000);
  }
});
