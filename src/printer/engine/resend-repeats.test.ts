// A large receive buffer keeps many lines on their way: when the firmware rejects one, it rejects every
// line already sent after it too, and each rejection repeats the same `Resend:`. Those repeats are one
// request, not many: counting each against the per-line limit failed prints after a handful of bad bytes.

import { describe, expect, it } from 'vitest';
import { makeRig } from './engine-on-wire.js';
import { stripComment } from './line-framing.js';

function printFile(moves: number): string {
  const out = ['M140 S60', 'M104 S200', 'G28', 'G90', 'M82', 'G92 E0'];
  let e = 0;
  for (let i = 0; i < moves; i++) {
    e += 0.0312;
    const a = i / 40;
    out.push(`G1 X${(110 + 30 * Math.cos(a)).toFixed(3)} Y${(110 + 30 * Math.sin(a)).toFixed(3)} E${e.toFixed(5)}`);
  }
  out.push('M104 S0', 'M140 S0', 'M84');
  return out.join('\n') + '\n';
}

describe('repeated resend requests from lines that were in flight', () => {
  for (const seed of [7, 8, 9]) {
    it(`fast mode, 1024-byte buffer, 32 commands, 0.1 % byte faults each way (seed ${seed}): every command executed once`, () => {
      const text = printFile(4_000);
      const bytes = new TextEncoder().encode(text);
      const expected = text.split('\n').map(stripComment).filter((l) => l.length > 0);
      const faults = { corruptRate: 0.0008, dropRate: 0.0002, minBytesBetweenFaults: 48 };
      const rig = makeRig(
        { flowControl: 'fast', receiveBufferBytes: 1024, troubleLimit: Number.POSITIVE_INFINITY },
        {
          seed,
          commandTimeMs: 0.02,
          rxBufferSize: 1024,
          bufsize: 32,
          plannerSlots: 64,
          faults: { rx: { ...faults, seed }, tx: { ...faults, seed: seed + 1 } },
        },
      );
      rig.connect();
      const start = rig.printer.executionLog.length;
      rig.startJob(bytes);
      rig.run(() => {
        const s = rig.engine.jobState;
        return s === 'completed' || s === 'failed' || s === 'cancelled';
      }, 3600_000);
      const errors = rig.events.flatMap((e) => (e.type === 'error' ? [e.error.message] : []));
      expect({ state: rig.engine.jobState, errors: rig.engine.jobState === 'completed' ? [] : errors }).toEqual({ state: 'completed', errors: [] });
      const log = rig.printer.executionLog.slice(start).filter((c) => c.via === 'queue' && c.line !== null).map((c) => c.command);
      const executed = log.slice(log.indexOf('M110 N0') + 1).filter((c) => c !== 'M105');
      expect(executed).toEqual(expected);
      // The faults really happened.
      expect(rig.printer.counters['resendsRequested']).toBeGreaterThan(3);
    }, 60_000);
  }
});
