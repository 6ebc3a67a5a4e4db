import { describe, expect, it } from 'vitest';
import { bytesOf } from './engine-test-kit.js';
import { GcodeLineReader } from './gcode-line-reader.js';
import { JobPreflight, describePreflight } from './job-preflight.js';
import { JobStreamer } from './job-streamer.js';
import { ModalState } from './modal-state.js';
import { DEFAULT_PAUSE_SCRIPT, resumeSequence, scriptLines } from './host-scripts.js';
import { checkTemperature } from './temperature-limits.js';

const LIMITS = { maxHotendTemp: 260, maxBedTemp: 100, maxChamberTemp: 60 };

function feedInPieces(text: string, size: number, feed: (b: Uint8Array, last: boolean) => void): void {
  const b = bytesOf(text);
  for (let i = 0; i < b.length; i += size) feed(b.subarray(i, Math.min(b.length, i + size)), i + size >= b.length);
}

describe('reading a job in chunks', () => {
  it('splits lines across chunk boundaries, handles CRLF and a last line without newline', () => {
    const r = new GcodeLineReader();
    const lines: string[] = [];
    feedInPieces('G28\r\nG1 X1 ; move\r\n\r\nM84', 3, (b) => r.feed(b, (l) => lines.push(`${l.lineNumber}:${l.text}@${l.endOffset}`)));
    r.finish((l) => lines.push(`${l.lineNumber}:${l.text}@${l.endOffset}`));
    expect(lines).toEqual(['1:G28@5', '2:G1 X1 ; move@19', '3:@21', '4:M84@24']);
  });

  it('the streamer asks for more only when it runs low, and keeps file positions', () => {
    const s = new JobStreamer();
    expect(s.wantsData()).toBe(true);
    s.markRequested();
    expect(s.wantsData()).toBe(false);
    const text = Array.from({ length: 1000 }, (_, i) => `G1 X${i} ; c`).join('\n') + '\n';
    s.feed(bytesOf(text.slice(0, 5000)), false);
    expect(s.wantsData()).toBe(false); // plenty buffered
    let n = 0;
    let c = s.next();
    while (c) {
      n++;
      c = s.next();
    }
    expect(s.starved).toBe(true);
    expect(s.wantsData()).toBe(true);
    s.feed(bytesOf(text.slice(5000)), true);
    const rest: number[] = [];
    for (let x = s.next(); x; x = s.next()) rest.push(x.fileLine);
    expect(n + rest.length).toBe(1000);
    expect(rest.at(-1)).toBe(1000);
    expect(s.exhausted).toBe(true);
  });

  it('splits a large stored chunk a little at a time, as the queue runs low, with the same commands', () => {
    // A stored chunk is 1 MiB: splitting it whole would hold up the sender while the printer waits.
    const lines = Array.from({ length: 40_000 }, (_, i) => (i % 7 === 3 ? `; note ${i}` : `G1 X${(i % 200).toFixed(3)} Y${i % 50} E0.0033 F9000 ; c${i}`));
    const text = `${lines.join('\r\n')}`; // CRLF, last line without a newline
    const bytes = bytesOf(text);
    const eager = new GcodeLineReader();
    const expected: string[] = [];
    eager.feed(bytes, (l) => expected.push(`${l.lineNumber}:${l.endOffset}`));
    eager.finish((l) => expected.push(`${l.lineNumber}:${l.endOffset}`));
    const commandLines = new Set(lines.flatMap((l, i) => (l.startsWith(';') ? [] : [i + 1])));

    const s = new JobStreamer();
    s.markRequested();
    const half = 700_000; // not on a line boundary
    s.feed(bytes.subarray(0, half), false);
    expect(s.buffered).toBeGreaterThan(0);
    expect(s.buffered).toBeLessThanOrEqual(1024);
    expect(s.wantsData()).toBe(false); // bytes are still waiting to be split
    const got: string[] = [];
    let most = 0;
    for (let c = s.next(); c; c = s.next()) {
      got.push(`${c.fileLine}:${c.endOffset}`);
      most = Math.max(most, s.buffered);
    }
    expect(most).toBeLessThanOrEqual(1024);
    expect(s.starved).toBe(true);
    expect(s.wantsData()).toBe(true);
    s.markRequested();
    s.feed(bytes.subarray(half), true);
    for (let c = s.next(); c; c = s.next()) got.push(`${c.fileLine}:${c.endOffset}`);
    expect(s.exhausted).toBe(true);
    expect(s.wantsData()).toBe(false);
    expect(got).toEqual(expected.filter((e) => commandLines.has(Number(e.split(':')[0]))));
    expect(got.length).toBe(commandLines.size);
  });
});

describe('job preflight', () => {
  it('accepts a normal file and reads its layers and estimate', () => {
    const p = new JobPreflight(LIMITS);
    feedInPieces(';TIME:3600\n;LAYER_COUNT:2\n;LAYER:0\nM104 S200\nG1 X1\n;LAYER:1\nG1 X2\n', 7, (b) => p.feed(b));
    const r = p.finish();
    expect(r).toMatchObject({ ok: true, commandCount: 3, totalLines: 7, layerCount: 2, estimateSeconds: 3600 });
  });

  it('names every line that is too long, not ASCII, or above the temperature limits', () => {
    const p = new JobPreflight(LIMITS);
    const long = `G1 ${'X1.234567 '.repeat(9)}`;
    const text = `G28\n${long}\nM117 Caf\u00e9 ; ok in a comment \u00e9\nM117 Caf\u00e9\nM190 S120\nM141 S80 ; chamber\nG1 X1 ; ${'x'.repeat(200)}\n`;
    const b = new Uint8Array([...text].map((ch) => ch.charCodeAt(0)));
    p.feed(b);
    const r = p.finish();
    expect(r.ok).toBe(false);
    expect(r.problems.map((x) => [x.line, x.kind])).toEqual([
      [2, 'too-long'],
      [3, 'not-ascii'],
      [4, 'not-ascii'],
      [5, 'temperature'],
      [6, 'temperature'],
    ]);
    const text2 = describePreflight(r);
    expect(text2).toMatch(/Line 2 is too long for the printer/);
    expect(text2).toMatch(/Line 5: "M190 S120" would heat the bed to 120 °C, above this printer's limit of 100 °C/);
  });

  it('lists at most 20 problems and counts the rest', () => {
    const p = new JobPreflight(LIMITS);
    p.feed(bytesOf('M104 S300\n'.repeat(50)));
    const r = p.finish();
    expect(r.problems).toHaveLength(20);
    expect(r.moreProblems).toBe(30);
    expect(describePreflight(r)).toMatch(/and 30 more/);
  });
});

describe('temperature limits', () => {
  it('checks S and R of heater commands, per heater', () => {
    expect(checkTemperature('M104 S260', LIMITS)).toBeNull();
    expect(checkTemperature('M109 R261', LIMITS)?.heater).toBe('hotend');
    expect(checkTemperature('M140 S101', LIMITS)?.heater).toBe('bed');
    expect(checkTemperature('M191 S61', LIMITS)?.heater).toBe('chamber');
    expect(checkTemperature('M303 E-1 S120 C8', LIMITS)?.heater).toBe('bed');
    expect(checkTemperature('G1 X300 S999', LIMITS)).toBeNull();
  });
});

describe('modal state and scripts', () => {
  it('tracks feed rate, modes, targets and filament', () => {
    const m = new ModalState();
    for (const c of ['M104 S210', 'M140 S60', 'M82', 'G92 E0', 'G1 X1 E1.5 F1800', 'G1 X2 E2.5', 'G1 E1.0', 'G1 E2.5', 'G92 E0', 'M83', 'G1 X3 E0.5']) m.apply(c);
    expect(m.feedRate).toBe(1800);
    expect(m.absoluteExtrusion).toBe(false);
    expect(m.hotendTargets.get(0)).toBe(210);
    expect(m.bedTarget).toBe(60);
    expect(m.filamentUsedMm).toBeCloseTo(2.5 + 1.5 + 0.5, 5);
  });

  it('uses the profile script when given, else the safe default', () => {
    expect(scriptLines('', DEFAULT_PAUSE_SCRIPT)).toEqual(['M83', 'G1 E-2 F2400', 'G91', 'G1 Z10 F600', 'G90']);
    expect(scriptLines('G91 ; lift\nG1 Z5\n\nG90', DEFAULT_PAUSE_SCRIPT)).toEqual(['G91', 'G1 Z5', 'G90']);
  });

  it('resume goes back over the position then down, and restores what the job had set', () => {
    const m = new ModalState();
    for (const c of ['M104 S205', 'M140 S55', 'M82', 'G1 X5 F2400']) m.apply(c);
    const seq = resumeSequence({ x: 10, y: 20, z: 1.2, e: 33.5 }, m, '');
    expect(seq).toEqual(['M140 S55', 'M104 T0 S205', 'M190 S55', 'M109 T0 S205', 'G90', 'G1 X10 Y20 F6000', 'G1 Z1.2 F600', 'M83', 'G1 E2 F2400', 'G92 E33.5', 'G90', 'M82', 'G1 F2400']);
  });
});
