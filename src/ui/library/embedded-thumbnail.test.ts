import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bestThumbnail, embeddedThumbnails } from './embedded-thumbnail.js';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const base64 = Buffer.from(png).toString('base64');
const block = (size: string, body = base64, kind = '') =>
  [`; thumbnail${kind} begin ${size} ${body.length}`, `; ${body.slice(0, 10)}`, `; ${body.slice(10)}`, `; thumbnail${kind} end`].join('\n');

describe('pictures embedded in G-code', () => {
  it('finds every block and picks the largest PNG', () => {
    const text = [';generated', block('16x16'), ';', block('220x124'), 'G28', 'G1 X10'].join('\n');
    const all = embeddedThumbnails(text);
    expect(all.map((t) => `${t.width}x${t.height}`)).toEqual(['16x16', '220x124']);
    expect(Array.from(all[1].bytes)).toEqual(Array.from(png));
    expect(bestThumbnail(all)?.width).toBe(220);
  });

  it('skips QOI, broken base64 and blocks cut short', () => {
    const text = [block('300x300', base64, '_QOI'), block('200x200', '!!notbase64!!'), '; thumbnail begin 100x100 40', '; iVBOR', 'G28'].join('\n');
    const all = embeddedThumbnails(text);
    expect(all.map((t) => t.type)).toEqual(['image/qoi']);
    expect(bestThumbnail(all)).toBeNull();
  });

  it('returns nothing for G-code without pictures', () => {
    expect(embeddedThumbnails(';FLAVOR:Marlin\nG28\nG1 X1 Y1\n')).toEqual([]);
  });

  const real = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/gcode/prusaslicer-2.6.1_benchy_marlin2.gcode');
  it.skipIf(!existsSync(real))('reads the 220×124 PNG from real PrusaSlicer output', () => {
    const head = readFileSync(real).subarray(0, 64 * 1024).toString('latin1');
    const best = bestThumbnail(embeddedThumbnails(head));
    expect(best?.width).toBe(220);
    expect(best?.height).toBe(124);
    expect(best?.bytes.length).toBeGreaterThan(1000);
  });
});
