// Property tests for the pictures read from the head of a G-code file: the reader has no error of its
// own (a damaged block is skipped), so whatever the text it returns a list of pictures without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestThumbnail, embeddedThumbnails } from './embedded-thumbnail.js';

const RUNS = 10_000;
const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 9);

function base64Lines(bytes: Uint8Array, width: number): string[] {
  const text = btoa(String.fromCharCode(...bytes));
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(`; ${text.slice(i, i + width)}`);
  return lines;
}

const block = fc
  .tuple(
    fc.constantFrom('thumbnail', 'thumbnail_PNG', 'thumbnail_JPG', 'thumbnail_QOI', 'THUMBNAIL', 'thumbnail_XYZ'),
    fc.oneof(fc.nat(), fc.constantFrom(99999999999999999999, 0)),
    fc.nat(),
    fc.oneof(fc.constant(png), fc.uint8Array({ maxLength: 60 })),
    fc.integer({ min: 1, max: 80 }),
    fc.boolean(),
  )
  .map(([name, w, h, bytes, width, ended]) => [`; ${name} begin ${w}x${h} ${bytes.length}`, ...base64Lines(bytes, width), ...(ended ? [`; ${name.replace(/_.*/, '')} end`] : [])]);
const line = fc.oneof(block.map((lines) => lines.join('\n')), fc.string({ maxLength: 40 }), fc.constantFrom('G1 X1', ';', '; ====', '; thumbnail end', '; thumbnail begin 1x1 1', '\r'));
const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n'));

/** A damaged copy: characters replaced, removed or repeated. */
const damaged = fc.tuple(text, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 20 }), fc.string({ maxLength: 4 })), { maxLength: 4 })).map(([t, edits]) => {
  let out = t;
  for (const [at, remove, insert] of edits) {
    const i = Math.floor(at * out.length);
    out = out.slice(0, i) + insert + out.slice(i + remove);
  }
  return out;
});

describe('embedded thumbnails under fuzzing', () => {
  it('reads any text to a list of pictures, the best of them shown only when it is a real PNG or JPEG', () => {
    fc.assert(
      fc.property(fc.oneof(text, damaged, fc.string({ unit: 'binary', maxLength: 300 })), (input) => {
        const found = embeddedThumbnails(input);
        for (const thumbnail of found) expect(thumbnail.bytes).toBeInstanceOf(Uint8Array);
        const best = bestThumbnail(found);
        if (best) expect(['image/png', 'image/jpeg']).toContain(best.type);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads long lines and long blocks in linear time', () => {
    for (const input of [`; thumbnail begin 1x1 ${'9'.repeat(100_000)}`, `;${' '.repeat(100_000)}thumbnail`, `; thumbnail begin 1x1 4\n;${'A'.repeat(400_000)}=\n; thumbnail end`]) {
      const started = performance.now();
      embeddedThumbnails(input);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});
