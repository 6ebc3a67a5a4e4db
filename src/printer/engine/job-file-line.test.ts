// The job's progress names the file line the printer last acknowledged, numbered exactly as the G-code
// analysis numbers its segments, so the preview can mark what has been printed.

import { describe, expect, it } from 'vitest';
import { analyseChunks } from '../../gcode/gcode-analyser.js';
import { readMoves } from '../../gcode/toolpath-reading.js';
import type { JobProgress } from '../link-api.js';
import type { SimulatorOptions } from '../simulator/index.js';
import { bytesOf } from './engine-test-kit.js';
import { makeRig } from './engine-on-wire.js';

const QUICK: SimulatorOptions = { bootMs: 300, homingMs: 500, thermal: { hotend: { timeConstantS: 3 }, bed: { timeConstantS: 3 }, residencyMs: 500 } };

/** A file full of what the engine never sends: comments, blank lines, CRLF, a header. Every move is unique. */
function fileWithNoise(moves: number): string[] {
  const lines = [';FLAVOR:Marlin', ';LAYER_COUNT:2', '', 'G28', 'G90', 'M83', '; start', ''];
  for (let i = 0; i < moves; i++) {
    if (i === moves / 2) lines.push(';LAYER:1', 'G1 Z0.4 F600');
    if (i % 7 === 0) lines.push(';TYPE:WALL-OUTER');
    if (i % 11 === 0) lines.push('');
    const x = (100 + 20 * Math.cos(i / 9)).toFixed(3);
    const y = (100 + 20 * Math.sin(i / 9)).toFixed(3);
    lines.push(i % 5 === 0 ? `G1 X${x} Y${y} E0.05 ; move ${i}` : `G1 X${x} Y${y} E0.05`);
  }
  lines.push('; end', '');
  return lines;
}

function commandOf(line: string): string {
  const semi = line.indexOf(';');
  return (semi >= 0 ? line.slice(0, semi) : line).trim();
}

describe('job progress carries the acknowledged file line', () => {
  for (const eol of ['\n', '\r\n']) {
    it(`matches the file and the analysis's segment lines (${eol === '\n' ? 'LF' : 'CRLF'})`, () => {
      const lines = fileWithNoise(600);
      const bytes = bytesOf(lines.join(eol) + eol);
      const analysis = analyseChunks([bytes.subarray(0, 5000), bytes.subarray(5000)]);
      const segmentByLine = new Map(readMoves(analysis.toolpath).map((s) => [s.line, s]));

      const rig = makeRig({ progressIntervalMs: 250 }, QUICK);
      rig.connect();
      rig.startJob(bytes, 4096);
      const seen: JobProgress[] = [];
      let checked = 0;
      rig.run(() => {
        for (const e of rig.events.splice(0)) {
          if (e.type !== 'job' || e.job.fileLine === undefined) continue;
          const line = e.job.fileLine;
          // At the moment it is reported, the printer has executed that very line of the file.
          const command = commandOf(lines[line - 1]);
          expect(command.length).toBeGreaterThan(0);
          const executed = rig.printer.executionLog.filter((c) => c.line !== null).map((c) => c.command);
          expect(executed).toContain(command);
          // And the analysis drew that move from the same line number.
          if (command.startsWith('G1 X')) {
            const seg = segmentByLine.get(line);
            expect(seg, `segment for file line ${line}`).toBeDefined();
            expect(seg!.end[0]).toBeCloseTo(Number(/X([\d.]+)/.exec(command)![1]), 3);
            expect(seg!.end[1]).toBeCloseTo(Number(/Y([\d.]+)/.exec(command)![1]), 3);
            checked++;
          }
          seen.push(e.job);
        }
        return rig.engine.jobState === 'completed';
      }, 3600_000);

      expect(rig.engine.jobState).toBe('completed');
      const progressing = seen.filter((j) => j.state === 'printing').map((j) => j.fileLine!);
      expect(progressing.length).toBeGreaterThan(5);
      expect(checked).toBeGreaterThan(5);
      for (let i = 1; i < progressing.length; i++) expect(progressing[i]).toBeGreaterThanOrEqual(progressing[i - 1]);
      // The last command of the file is the last line acknowledged.
      let lastCommand = lines.length;
      while (commandOf(lines[lastCommand - 1]) === '') lastCommand--;
      expect(seen.at(-1)!.state).toBe('completed');
      expect(seen.at(-1)!.fileLine).toBe(lastCommand);
      expect(rig.engine.lastAckedJobLine).toBe(lastCommand);
    });
  }
});
