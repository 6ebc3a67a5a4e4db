import { describe, expect, it } from 'vitest';
import { bytesOf } from './engine-test-kit.js';
import { makeRig } from './engine-on-wire.js';
import { stripComment } from './line-framing.js';

function sampleJob(lines: number): string {
  const out = [';LAYER_COUNT:3', 'G28', 'G90', 'M82', 'G92 E0'];
  let e = 0;
  for (let i = 0; i < lines; i++) {
    if (i % 500 === 0) out.push(`;LAYER:${i / 500}`);
    e += 0.05;
    out.push(`G1 X${(50 + 20 * Math.cos(i / 30)).toFixed(3)} Y${(50 + 20 * Math.sin(i / 30)).toFixed(3)} E${e.toFixed(5)} F1800 ; seg`);
  }
  return out.join('\n') + '\n';
}

function jobCommands(text: string): string[] {
  return text.split('\n').map(stripComment).filter((l) => l.length > 0);
}

function executed(rig: ReturnType<typeof makeRig>, from: number): string[] {
  return rig.printer.executionLog.slice(from).filter((c) => c.via === 'queue' && c.line !== null).map((c) => c.command);
}

describe('engine against the simulated printer', () => {
  for (const mode of ['safe', 'fast'] as const) {
    it(`connects and prints a job exactly once in ${mode} mode`, () => {
      const rig = makeRig({ flowControl: mode }, { seed: 3 });
      rig.connect();
      expect(rig.events.find((e) => e.type === 'firmware')).toBeTruthy();
      const text = sampleJob(1500);
      const start = rig.printer.executionLog.length;
      rig.startJob(bytesOf(text), 4096);
      rig.run(() => rig.engine.jobState === 'completed' || rig.engine.jobState === 'failed', 10 * 60_000);
      expect(rig.engine.jobState).toBe('completed');
      const ran = executed(rig, start).filter((c) => !/^M(105|155|154|27)\b/.test(c));
      expect(ran.slice(ran.indexOf('M110 N0') + 1)).toEqual(jobCommands(text));
    });
  }
});
