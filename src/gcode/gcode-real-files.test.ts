// The analysis against real slicer output in ../shared/data/gcode (outside the repo). Each file is
// checked against what its own header or footer states, where it states it. Skipped when absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyseChunks } from './gcode-analyser.js';
import type { GcodeAnalysis } from './toolpath.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = resolve(repoRoot, '../shared/data/gcode');
const present = existsSync(dataDir);
if (!present) console.warn(`Skipping real G-code tests: ${dataDir} is absent (test data lives outside the repo).`);

const CHUNK = 1 << 20;

function listFiles(): string[] {
  if (!present) return [];
  const top = readdirSync(dataDir).filter((f) => f.endsWith('.gcode'));
  const generated = existsSync(join(dataDir, 'generated'))
    ? readdirSync(join(dataDir, 'generated')).filter((f) => f.endsWith('.gcode')).map((f) => `generated/${f}`)
    : [];
  return [...top, ...generated];
}

function analyseFile(name: string): { text: string; analysis: GcodeAnalysis; size: number } {
  const bytes = readFileSync(join(dataDir, name));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));
  const analysis = analyseChunks(chunks, { sizeHint: bytes.length });
  return { text: bytes.toString('latin1'), analysis, size: bytes.length };
}

const num = (text: string, pattern: RegExp): number | null => {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : null;
};

/** What the file says about itself. Cura 4.13 from the command line leaves placeholders; those are ignored. */
function declared(text: string) {
  const curaLayers = num(text, /^;LAYER_COUNT:(\d+)/m) ?? num(text, /^;Layer count: (\d+)/m);
  const prusaLayers = /^;LAYER_CHANGE/m.test(text) ? (text.match(/^;LAYER_CHANGE\s*$/gm) ?? []).length : null;
  const curaMetres = num(text, /^;Filament used: ([\d.]+)m/m);
  const filamentMm =
    num(text, /^; filament used \[mm\] = ([\d.]+)/m) ??
    num(text, /^; filament used = ([\d.]+)mm/m) ??
    (curaMetres !== null && curaMetres > 0 ? curaMetres * 1000 : null);
  const minX = num(text, /^;MINX:([-\d.e+]+)/m);
  const maxX = num(text, /^;MAXX:([-\d.e+]+)/m);
  const bounds =
    minX !== null && maxX !== null && minX <= maxX
      ? {
          min: [minX, num(text, /^;MINY:([-\d.e+]+)/m)!, num(text, /^;MINZ:([-\d.e+]+)/m)!],
          max: [maxX, num(text, /^;MAXY:([-\d.e+]+)/m)!, num(text, /^;MAXZ:([-\d.e+]+)/m)!],
        }
      : null;
  const zs = [...text.matchAll(/^;Z:([\d.]+)/gm)].map((m) => Number(m[1]));
  const topZ = zs.length > 0 ? Math.max(...zs) : null;
  return { layers: curaLayers ?? prusaLayers, filamentMm, bounds, topZ };
}

const files = listFiles();
const fdmFiles = files.filter((f) => !/cnc_|laser_|arc_test_/.test(f));

describe.skipIf(!present)('real slicer output agrees with its own header', () => {
  it('finds the test files', () => {
    expect(fdmFiles.length).toBeGreaterThan(5);
  });

  for (const name of fdmFiles) {
    it(name, () => {
      const { text, analysis, size } = analyseFile(name);
      const { summary, layers, toolpath } = analysis;
      const facts = declared(text);
      expect(summary.isFdm).toBe(true);
      expect(summary.lineCount).toBe(text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length);
      // Memory: the analysed form is never bigger than the file.
      expect(summary.toolpathBytes).toBeLessThanOrEqual(size);
      if (facts.layers !== null) expect(summary.layerCount).toBe(facts.layers);
      if (facts.filamentMm !== null) {
        expect(Math.abs(summary.filamentMm - facts.filamentMm) / facts.filamentMm).toBeLessThan(0.01);
      }
      if (facts.bounds !== null) {
        for (let axis = 0; axis < 3; axis++) {
          expect(Math.abs(summary.bounds!.min[axis] - facts.bounds.min[axis])).toBeLessThan(1);
          expect(Math.abs(summary.bounds!.max[axis] - facts.bounds.max[axis])).toBeLessThan(1);
        }
      }
      if (facts.topZ !== null) expect(Math.abs(summary.bounds!.max[2] - facts.topZ)).toBeLessThan(0.5);
      // The slicer's own time estimate, where given, is close to ours.
      if (summary.slicerSeconds !== null) {
        expect(Math.abs(summary.computedSeconds - summary.slicerSeconds) / summary.slicerSeconds).toBeLessThan(0.35);
      }
      // Layers tile the stored segments in order, and Z never runs backwards for these single-object prints.
      expect(layers[0].firstSegment).toBe(0);
      for (let i = 1; i < layers.length; i++) {
        expect(layers[i].firstSegment).toBe(layers[i - 1].endSegment);
        expect(layers[i].firstLine).toBeGreaterThan(layers[i - 1].firstLine);
      }
      expect(layers[layers.length - 1].endSegment).toBe(toolpath.segmentCount);
      const box = summary.bounds!;
      expect(box.max[2]).toBeGreaterThan(box.min[2]);
    });
  }

  it('groups the non-planar FullControl vase into Z bands', () => {
    const { analysis } = analyseFile('fullcontrol_ripple_vase.gcode');
    expect(analysis.summary.layerSource).toBe('z');
    const height = analysis.summary.bounds!.max[2] - analysis.summary.bounds!.min[2];
    // one band per 0.05 mm at most, and far fewer bands than moves
    expect(analysis.summary.layerCount).toBeLessThanOrEqual(Math.ceil(height / 0.05) + 2);
    expect(analysis.summary.layerCount).toBeLessThan(analysis.summary.totalSegments / 5);
  });

  it('spiral vase: PrusaSlicer markers drive the layers though Z rises inside them', () => {
    const { analysis } = analyseFile('prusaslicer-2.7.4_vase.gcode');
    expect(analysis.summary.layerSource).toBe('markers');
    expect(analysis.summary.layerCount).toBe(334);
  });

  it('arc files: arcs are drawn as many short chords on their circle', () => {
    const { analysis } = analyseFile('prusaslicer-2.7.4_screw_arcfitting.gcode');
    const arcLines = 5722;
    expect(analysis.summary.totalSegments).toBeGreaterThan(arcLines);
  });

  it('the full-circle helix test (no extrusion) draws six circles between Z 10 and 20', () => {
    const { analysis } = analyseFile('arc_test_full-circle_helix.gcode');
    expect(analysis.summary.isFdm).toBe(false);
    const tb = analysis.summary.travelBounds!;
    expect(tb.max[2]).toBeCloseTo(20, 4);
    // The first arc starts at home (0,0) around (30,40): x down to -20. The next five start and end at
    // (15,20) around (45,60), radius 50: full circles reaching x = 95.
    expect(tb.min[0]).toBeCloseTo(-20, 1);
    expect(tb.max[0]).toBeCloseTo(95, 1);
    expect(tb.max[1]).toBeCloseTo(110, 1);
  });

  for (const name of files.filter((f) => /cnc_|laser_/.test(f))) {
    it(`${name} does not crash and is reported as not FDM`, () => {
      const { analysis } = analyseFile(name);
      expect(analysis.summary.isFdm).toBe(false);
      expect(analysis.summary.filamentMm).toBe(0);
      expect(analysis.summary.warnings[0]).toMatch(/CNC mill or a laser/);
      expect(analysis.summary.totalSegments).toBeGreaterThan(10);
    });
  }

  it('the CNC file in inches is read in millimetres', () => {
    const { analysis } = analyseFile('cnc_mach3_not-a-printer.gcode');
    // G00 X1.82 Y6.05 (inches) is 46.2 mm, 153.7 mm
    expect(analysis.summary.travelBounds!.max[1]).toBeGreaterThan(6.05 * 25.4 - 1);
  });
});
