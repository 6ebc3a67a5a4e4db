import { describe, expect, it } from 'vitest';
import { analyseChunks } from './gcode-analyser.js';
import { Feature } from './feature-types.js';
import { featuresPresent, layerAtLine, segmentsForLayer } from './layer-view.js';
import { analyseStream, blobChunks, transferList } from './analyse-stream.js';

const encode = (text: string) => new TextEncoder().encode(text);
const sample = [
  ';LAYER:0', ';TYPE:WALL-OUTER', 'G1 Z0.2', 'G1 X10 E1', 'G1 Y10 E2', // lines 1-5
  ';LAYER:1', ';TYPE:FILL', 'G0 Z0.4', 'G1 X0 E3', // lines 6-9
  ';LAYER:2', 'G1 Z0.6', 'G1 Y0 E4', 'G1 X10 E5', // lines 10-13
].join('\n');

describe('layer view', () => {
  const analysis = analyseChunks([encode(sample)]);
  it('gives one layer alone or everything up to it', () => {
    expect(analysis.layers.length).toBe(3);
    const single = segmentsForLayer(analysis.layers, 1, 'single');
    expect(single).toEqual({ firstSegment: analysis.layers[1].firstSegment, endSegment: analysis.layers[1].endSegment });
    expect(segmentsForLayer(analysis.layers, 1, 'up-to')).toEqual({ firstSegment: 0, endSegment: analysis.layers[1].endSegment });
    expect(segmentsForLayer(analysis.layers, 99, 'up-to').endSegment).toBe(analysis.toolpath.segmentCount);
    expect(segmentsForLayer([], 0, 'single')).toEqual({ firstSegment: 0, endSegment: 0 });
  });

  it('finds the layer of a line', () => {
    expect(layerAtLine(analysis.layers, 1)).toBe(0);
    expect(layerAtLine(analysis.layers, 8)).toBe(1);
    expect(layerAtLine(analysis.layers, 10)).toBe(2);
    expect(layerAtLine(analysis.layers, 1000)).toBe(2);
  });

  it('lists the features present', () => {
    expect(featuresPresent(analysis.toolpath)).toBe((1 << Feature.OuterWall) | (1 << Feature.Infill));
  });

  it('streams async chunks with progress', async () => {
    async function* chunks() {
      for (const line of sample.split('\n')) yield encode(`${line}\n`);
    }
    const seen: number[] = [];
    let t = 0;
    const streamed = await analyseStream(chunks(), { sizeHint: 1000 }, (p) => seen.push(p.bytesRead), () => (t += 100));
    expect(streamed.summary.layerCount).toBe(3);
    expect(Array.from(streamed.toolpath.positions)).toEqual(Array.from(analysis.toolpath.positions));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toBe(encode(sample).length + 1);
  });

  it('reads a Blob slice by slice and lists each buffer once for transfer', async () => {
    const blob = new Blob([encode(sample)]);
    const sizes: number[] = [];
    const chunks: Uint8Array[] = [];
    for await (const chunk of blobChunks(blob, 16)) {
      sizes.push(chunk.length);
      chunks.push(chunk);
    }
    expect(sizes.every((n) => n <= 16)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(blob.size);
    const streamed = await analyseStream(chunks, { sizeHint: blob.size });
    expect(Array.from(streamed.toolpath.lines)).toEqual(Array.from(analysis.toolpath.lines));
    const buffers = transferList(streamed);
    expect(buffers.length).toBe(6);
    expect(new Set(buffers).size).toBe(6);
  });
});

describe('visible segments index', () => {
  it('leaves out travel, switched-off features and jumps, in segment order', async () => {
    const { buildVisibleIndex, visibleBefore } = await import('./visible-segments.js');
    const a = analyseChunks([encode('G28\nG1 X5 Z0.2\n;TYPE:WALL-OUTER\nG1 X10 E1\nG0 X20\nG28\nG0 X1\n;TYPE:FILL\nG1 X2 E2\nG1 X3 E3')]);
    const n = a.toolpath.segmentCount;
    const out = new Uint32Array(2 * n);
    const all = buildVisibleIndex(a.toolpath, 0xffff, true, out);
    expect(all).toBe(n - 1); // everything but the hidden jump after the second G28
    const noTravel = buildVisibleIndex(a.toolpath, 0xffff, false, out);
    expect(noTravel).toBe(3);
    expect(Array.from(out.subarray(0, 6))).toEqual([1, 2, 5, 6, 6, 7]);
    const wallsOnly = buildVisibleIndex(a.toolpath, 1 << Feature.OuterWall, false, out);
    expect(wallsOnly).toBe(1);
    buildVisibleIndex(a.toolpath, 0xffff, false, out);
    expect(visibleBefore(out, 3, 0)).toBe(0);
    expect(visibleBefore(out, 3, 2)).toBe(1);
    expect(visibleBefore(out, 3, 5)).toBe(1);
    expect(visibleBefore(out, 3, 6)).toBe(2);
    expect(visibleBefore(out, 3, 7)).toBe(3);
    expect(visibleBefore(out, 3, 99)).toBe(3);
  });
});

describe('warm-up sample', () => {
  it('is a plausible print the analysis reads without complaint', async () => {
    const { warmUpGcode } = await import('./analyse-stream.js');
    const sample = warmUpGcode();
    const a = analyseChunks([sample]);
    expect(a.summary.layerCount).toBe(100);
    expect(a.summary.warnings).toEqual([]);
    expect(a.summary.lineCount).toBeGreaterThan(30_000);
  });
});
