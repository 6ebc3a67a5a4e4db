import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JobStreamer } from '../engine/job-streamer.js';
import { LayerIndexBuilder, indexLayers, isLayerMarker, layerAtOffset, type LayerIndex } from './layer-index.js';
import { PrintState } from './print-state.js';
import { asAsync, chunked, layeredPrint } from '../testing/layered-print.js';

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function indexOf(bytes: Uint8Array, chunk: number): LayerIndex {
  const b = new LayerIndexBuilder();
  for (const c of chunked(bytes, chunk)) b.feed(c);
  return b.finish();
}

/** Every command a streamer yields from `offset` on, fences dropped. */
function streamFrom(bytes: Uint8Array, offset: number, linesBefore: number): Array<{ command: string; fileLine: number }> {
  const s = new JobStreamer({ startOffset: offset, linesBefore });
  s.feed(bytes.subarray(offset), true);
  const out: Array<{ command: string; fileLine: number }> = [];
  for (let c = s.next(); c; c = s.next()) out.push({ command: c.command, fileLine: c.fileLine });
  return out;
}

describe('layer index', () => {
  it('recognises the slicers\u2019 layer markers, and not their look-alikes', () => {
    expect(isLayerMarker(';LAYER:12')).toBe(true);
    expect(isLayerMarker(';LAYER_CHANGE')).toBe(true);
    expect(isLayerMarker('; layer 3, Z = 0.600')).toBe(true);
    expect(isLayerMarker(';AFTER_LAYER_CHANGE')).toBe(false);
    expect(isLayerMarker(';LAYER_COUNT:40')).toBe(false);
    expect(isLayerMarker('G1 X1')).toBe(false);
  });

  for (const markers of ['cura', 'prusa', 'none'] as const) {
    it(`finds each layer of a ${markers === 'none' ? 'marker-less' : markers}-style file, with the state there, whatever the chunking`, () => {
      const print = layeredPrint({ layers: 6, movesPerLayer: 12, markers, zHop: markers === 'none' ? 0.4 : undefined });
      const bytes = bytesOf(print.text);
      const index = indexOf(bytes, 1 << 20);
      // Without markers the prime line, laid at its own height, is a layer of its own.
      const printed = markers === 'none' ? index.layers.slice(1) : index.layers;
      expect(printed).toHaveLength(6);
      if (markers === 'none') expect(index.layers[0]!.z).toBeCloseTo(0.3);
      expect(index.source).toBe(markers === 'none' ? 'z-changes' : 'slicer-markers');
      expect(index.totalBytes).toBe(bytes.length);
      for (const chunk of [1, 7, 100]) expect(indexOf(bytes, chunk)).toEqual(index);
      const lines = print.text.split('\n');
      for (const [k, l] of printed.entries()) {
        // The offset is the start of the layer's first line.
        expect(l.offset === 0 || bytes[l.offset - 1] === 10).toBe(true);
        expect(print.text.slice(l.offset).split('\n')[0]).toBe(lines[l.line - 1]);
        expect(l.z).toBeCloseTo(0.2 * (k + 1));
        // The state there is what running the file up to that line gives.
        const s = new PrintState();
        for (const line of lines.slice(0, l.line - 1)) s.apply(line.replace(/;.*$/, ''));
        expect(l.state).toEqual(s.snapshot());
        expect(l.state.hotends[0]).toBe(205);
        expect(l.state.fans[0] ?? 0).toBe(k >= 2 ? 255 : 0);
      }
      if (markers === 'none') {
        // Without markers a layer starts at the move to its height, never at a hop.
        for (const l of printed) expect(lines[l.line - 1]).toMatch(/^G1 Z/);
      }
    });
  }

  it('streaming from a layer\u2019s offset yields exactly the file\u2019s commands from that line on', () => {
    const print = layeredPrint({ layers: 5, movesPerLayer: 30, markers: 'cura' });
    const bytes = bytesOf(print.text);
    const index = indexOf(bytes, 64);
    const whole = streamFrom(bytes, 0, 0);
    for (const l of index.layers) {
      const from = streamFrom(bytes, l.offset, l.line - 1);
      expect(from).toEqual(whole.filter((c) => c.fileLine >= l.line));
    }
    expect(layerAtOffset(index, 0)).toBe(-1);
    expect(layerAtOffset(index, index.layers[3]!.offset)).toBe(3);
    expect(layerAtOffset(index, index.layers[3]!.offset - 1)).toBe(2);
  });

  it('fences each layer start with M400, except at the start of a stream', () => {
    const print = layeredPrint({ layers: 4, movesPerLayer: 3, markers: 'prusa' });
    const bytes = bytesOf(print.text);
    const index = indexOf(bytes, 1 << 20);
    const fences = index.layers.map((l) => ({ layer: l.layer, offset: l.offset, line: l.line }));
    const s = new JobStreamer({ fences });
    s.feed(bytes, true);
    const got: Array<{ command: string; fence?: number; layer?: number; endOffset: number }> = [];
    for (let c = s.next(); c; c = s.next()) got.push(c);
    const fenceAt = got.flatMap((c, i) => (c.fence !== undefined ? [i] : []));
    expect(got.filter((c) => c.fence !== undefined).map((c) => c.fence)).toEqual([0, 1, 2, 3]);
    for (const i of fenceAt) {
      expect(got[i]!.command).toBe('M400');
      // The next command is the layer's first, tagged with the index's layer number (PrusaSlicer's
      // AFTER_LAYER_CHANGE does not count twice).
      expect(got[i + 1]!.layer).toBe(got[i]!.fence);
      expect(got[i]!.endOffset).toBe(index.layers[got[i]!.fence!]!.offset);
    }
    expect(got.filter((c) => c.fence === undefined).map((c) => c.command)).toEqual(print.commands);
    // Resumed at layer 2: no fence before its first command, one before layer 3.
    const r = new JobStreamer({ fences, startOffset: index.layers[2]!.offset, linesBefore: index.layers[2]!.line - 1 });
    r.feed(bytes.subarray(index.layers[2]!.offset), true);
    const resumed: Array<{ command: string; fence?: number; layer?: number }> = [];
    for (let c = r.next(); c; c = r.next()) resumed.push(c);
    expect(resumed[0]!.fence).toBeUndefined();
    expect(resumed[0]!.layer).toBe(2);
    expect(resumed.filter((c) => c.fence !== undefined).map((c) => c.fence)).toEqual([3]);
  });
});

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = resolve(repoRoot, '../shared/data/gcode');
const present = existsSync(dataDir);
if (!present) console.warn(`Skipping real G-code layer index tests: ${dataDir} is absent (test data lives outside the repo).`);

const realFiles = [
  { name: 'generated/curaengine-4.13-native_3DBenchy_ender3_standard_0.2mm.gcode', source: 'slicer-markers' },
  { name: 'prusaslicer-2.6.1_benchy_marlin2.gcode', source: 'slicer-markers' },
  { name: 'cura-2.3.1_puzzle_reprap.gcode', source: 'slicer-markers' },
  { name: 'fullcontrol_ripple_vase.gcode', source: 'z-changes' },
] as const;

describe.skipIf(!present)('layer index of real files', () => {
  for (const f of realFiles) {
    it(`indexes ${f.name}: layers in order, rising, each streamable from its offset`, async () => {
      const file = readFileSync(join(dataDir, f.name));
      const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
      const index = await indexLayers(asAsync(chunked(bytes, 1 << 20)));
      expect(index.source).toBe(f.source);
      expect(index.layers.length).toBeGreaterThan(10);
      const text = file.toString('latin1');
      if (f.source === 'slicer-markers') {
        const declared = /;LAYER_COUNT:(\d+)/.exec(text);
        const markerCount = (text.match(/^;(LAYER:-?\d+|LAYER_CHANGE)\s*$/gm) ?? []).length;
        expect(index.layers.length).toBe(markerCount);
        if (declared) expect(index.layers.length).toBe(Number(declared[1]));
      }
      let lastZ = -Infinity;
      for (const l of index.layers) {
        expect(l.offset === 0 || bytes[l.offset - 1] === 10).toBe(true);
        if (l.z !== undefined) {
          expect(l.z).toBeGreaterThanOrEqual(lastZ - 1e-6);
          lastZ = l.z;
        }
      }
      // From a layer in the middle on, the state the index gives is what the whole file gives there.
      const mid = index.layers[Math.floor(index.layers.length / 2)]!;
      const s = new PrintState();
      for (const line of text.slice(0, mid.offset).split('\n')) s.apply(line.replace(/;.*$/, ''));
      expect(mid.state).toEqual(s.snapshot());
      expect(mid.state.hotends[mid.state.tool] ?? 0).toBeGreaterThan(150);
      expect(mid.state.z).toBeGreaterThan(0);
      const whole = streamFrom(bytes, 0, 0);
      expect(streamFrom(bytes, mid.offset, mid.line - 1)).toEqual(whole.filter((c) => c.fileLine >= mid.line));
    });
  }
});
