// Property tests for the check a job file gets before it is printed: any file, cut anywhere, is read to a
// result (a refusal is a result listing problem lines, never an exception), the same whatever the chunks,
// in time linear in the file's size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobPreflight, type PreflightResult } from './job-preflight.js';
import { readSlicerHint } from './slicer-hints.js';

const RUNS = 10_000;
const limits = { maxHotendTemp: 260, maxBedTemp: 110 };
const encoder = new TextEncoder();

const line = fc.oneof(
  fc.constantFrom(
    'G1 X10 Y10 E1', 'M104 S300', 'M140 S90', 'M109 R999', 'M190 S-5', 'G28', ';LAYER:7', ';LAYER_COUNT:120', ';TIME:3600',
    '; estimated printing time (normal mode) = 1d 2h 3m 4s', ';LAYER_CHANGE', 'M117 héllo', `G1 X${'1'.repeat(120)}`, '', '\r',
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);
const file = fc.oneof(
  { weight: 4, arbitrary: fc.array(line, { maxLength: 30 }).map((lines) => encoder.encode(lines.join('\n'))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
);

function check(chunks: Uint8Array[]): PreflightResult {
  const preflight = new JobPreflight(limits);
  for (const chunk of chunks) preflight.feed(chunk);
  return preflight.finish();
}

describe('job check under fuzzing', () => {
  it('reads any file, cut anywhere, to the same result', () => {
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        const whole = check([bytes]);
        expect(whole.totalBytes).toBe(bytes.length);
        expect(whole.ok).toBe(whole.problems.length === 0);
        if (whole.estimateSeconds !== undefined) expect(Number.isFinite(whole.estimateSeconds)).toBe(true);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let from = 0;
        for (const at of [...points, bytes.length]) {
          chunks.push(bytes.subarray(from, at));
          from = at;
        }
        expect(check(chunks)).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads very long lines in linear time', () => {
    const head = fc.constantFrom('', ';', '; estimated printing time = ', ';LAYER:', ';TIME:', 'M104 S', 'G1 X');
    const fill = fc.constantFrom('1', ' ', '9d', 'h1', 'A', '; ');
    fc.assert(
      fc.property(head, fill, fc.integer({ min: 10_000, max: 60_000 }), (start, filler, count) => {
        const started = performance.now();
        check([encoder.encode(`${start}${filler.repeat(Math.ceil(count / filler.length))}\nG28\n`)]);
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a time estimate with a long run of digits in linear time, and only a finite one', () => {
    const started = performance.now();
    const hint = readSlicerHint(`; estimated printing time = ${'1'.repeat(100_000)}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hint).toEqual({ estimateSeconds: 0 });
    expect(readSlicerHint(`; estimated printing time = ${'9'.repeat(400)}d`)).toBeNull();
  });
});
