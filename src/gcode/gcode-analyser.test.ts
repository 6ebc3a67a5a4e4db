import { describe, expect, it } from 'vitest';
import { analyseChunks, GcodeAnalyser, type AnalyserOptions } from './gcode-analyser.js';
import { Feature, featureFromName } from './feature-types.js';
import { readMoves, segmentsThroughLine } from './toolpath-reading.js';
import { BYTES_PER_SEGMENT, perVertex } from './toolpath.js';

/** Splits the text into small chunks so lines straddle chunk boundaries. */
function analyse(text: string, options: AnalyserOptions = {}, chunkSize = 7) {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.slice(i, i + chunkSize));
  return analyseChunks(chunks, options);
}

const close = (actual: number[], expected: number[], digits = 4) =>
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, digits));

describe('G-code analysis: lines and words', () => {
  it('gives the same result whatever the chunking, CRLF or LF', () => {
    const text = 'G1 X10 Y0 E1 F1200\nG1 X10 Y10 E2\r\nG1 X0 Y10 E3 ; comment\nG1 X0 Y0 E4';
    const whole = analyse(text, {}, 1 << 20);
    for (const size of [1, 2, 5, 13]) {
      const split = analyse(text.replace(/\n/g, '\r\n'), {}, size);
      expect(split.summary.lineCount).toBe(4);
      expect(Array.from(split.toolpath.positions)).toEqual(Array.from(whole.toolpath.positions));
      expect(split.summary.filamentMm).toBeCloseTo(4, 6);
    }
  });

  it('reads line numbers of every segment, skipping N words, checksums and comments', () => {
    const r = analyse('; header\nN1 G1 X5 E1*71\n\nG1 X10 (paren comment) E2\nM104 S200\nG1 Y5 E3 ;X99');
    const moves = readMoves(r.toolpath);
    expect(moves.map((m) => m.line)).toEqual([2, 4, 6]);
    expect(moves[2].end).toEqual([10, 5, 0]);
    expect(r.summary.lineCount).toBe(6);
  });

  it('parses zero-padded, signed and decimal-only numbers, lower case too', () => {
    const r = analyse('G00 X-1.5 Y.5\ng01 x+2 y-.25 e.5');
    const moves = readMoves(r.toolpath);
    close(moves[0].end, [-1.5, 0.5, 0]);
    close(moves[1].end, [2, -0.25, 0]);
    expect(moves[1].extrudes).toBe(true);
    expect(moves[0].extrudes).toBe(false);
  });

  it('survives binary garbage (a picture renamed .gcode) and says there is nothing to show', () => {
    let seed = 7;
    const bytes = new Uint8Array(200_000).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    const r = analyseChunks([bytes.subarray(0, 99_999), bytes.subarray(99_999)], { sizeHint: bytes.length });
    expect(r.summary.byteCount).toBe(200_000);
    expect(r.summary.warnings.length).toBeGreaterThan(0);
    expect(r.summary.toolpathBytes).toBeLessThanOrEqual(bytes.length);
    for (const v of r.toolpath.positions) expect(Number.isFinite(v)).toBe(true);
  });

  it('skips a move whose number overflows, and says so', () => {
    const r = analyse(`G1 X10 E1\nG1 X${'9'.repeat(400)} E2\nG1 X20 E3`);
    expect(readMoves(r.toolpath).map((m) => m.end[0])).toEqual([10, 20]);
    expect(r.summary.warnings.join(' ')).toMatch(/1 moves had numbers too large/);
  });

  it('handles an empty file and a file with no moves', () => {
    const empty = analyse('');
    expect(empty.summary.lineCount).toBe(0);
    expect(empty.toolpath.segmentCount).toBe(0);
    expect(empty.summary.bounds).toBeNull();
    const noMoves = analyse('M104 S200\nM140 S60\n');
    expect(noMoves.summary.totalSegments).toBe(0);
    expect(noMoves.summary.isFdm).toBe(false);
    expect(noMoves.summary.warnings.join(' ')).toMatch(/no moves/);
  });
});

describe('G-code analysis: motion commands', () => {
  it('G0 travels and G1 with rising E extrudes; E-only moves make no segment', () => {
    const r = analyse('G0 X10 Y10 Z0.2\nG1 X20 E1\nG1 E0.5\nG1 X30 E1.5');
    const moves = readMoves(r.toolpath);
    expect(moves.map((m) => m.extrudes)).toEqual([false, true, true]);
    expect(r.summary.filamentMm).toBeCloseTo(1.5, 6);
  });

  it('G91 makes XYZ and E relative and G90 absolute again (Marlin)', () => {
    const r = analyse('G1 X10 Y10 Z1\nG91\nG1 X5 Y-5 E2\nG1 X5 E2\nG90\nG1 X0 Y0 E5');
    const moves = readMoves(r.toolpath);
    close(moves[1].end, [15, 5, 1]);
    close(moves[2].end, [20, 5, 1]);
    close(moves[3].end, [0, 0, 1]);
    expect(r.summary.filamentMm).toBeCloseTo(5, 6); // 2 + 2 relative, then absolute 5 from 4
  });

  it('M83 makes only E relative, M82 makes it absolute again', () => {
    const r = analyse('M83\nG1 X10 E1\nG1 X20 E1\nM82\nG92 E0\nG1 X30 E3\nG1 X40 E2.5');
    const moves = readMoves(r.toolpath);
    expect(moves.map((m) => m.extrudes)).toEqual([true, true, true, false]);
    expect(r.summary.filamentMm).toBeCloseTo(1 + 1 + 3 - 0.5, 6);
  });

  it('G92 E0 resets extrusion without moving; G92 X/Y/Z shifts coordinates, not the nozzle', () => {
    const r = analyse('G1 X10 E5\nG92 E0\nG1 X20 E2\nG92 X0\nG1 X5 E3');
    const moves = readMoves(r.toolpath);
    expect(r.summary.filamentMm).toBeCloseTo(5 + 2 + 1, 6);
    close(moves[2].start, [20, 0, 0]);
    close(moves[2].end, [25, 0, 0]); // X5 in the shifted frame is 25 on the machine
    expect(moves.every((m) => m.extrudes)).toBe(true);
  });

  it('G20 reads inches for positions, E and F; G21 back to millimetres', () => {
    const r = analyse('G20\nG1 X1 Y2 E0.1 F60\nG21\nG1 X30 E2.54');
    const moves = readMoves(r.toolpath);
    close(moves[0].end, [25.4, 50.8, 0]);
    close(moves[1].end, [30, 50.8, 0]);
    expect(r.summary.filamentMm).toBeCloseTo(2.54, 5);
    // 60 in/min = 25.4 mm/s over 56.8 mm, plus a short stop at each end.
    expect(r.summary.computedSeconds).toBeGreaterThan(56.79 / 25.4);
  });

  it('G28 homes (all axes or those named) without drawing the jump', () => {
    const r = analyse('G1 X50 Y50 Z5\nG28 X\nG1 Y60\nG28\nG1 X1 Y1 Z1');
    const moves = readMoves(r.toolpath);
    close(moves[1].start, [0, 50, 5]);
    close(moves[1].end, [0, 60, 5]);
    close(moves[2].start, [0, 0, 0]);
    expect(r.toolpath.segmentCount).toBe(moves.length + 2); // two hidden jumps keep the path continuous
    expect(r.summary.totalSegments).toBe(3);
  });

  it('modal motion: coordinates without a G word repeat the last motion command', () => {
    const r = analyse('G1 X1 E1\nX2 E2\nY3 E3');
    expect(readMoves(r.toolpath).length).toBe(3);
    expect(r.summary.filamentMm).toBeCloseTo(3, 6);
  });

  it('G4 dwell adds to the computed time (P in ms, S in seconds)', () => {
    const base = analyse('G1 X10 F600').summary.computedSeconds;
    const dwell = analyse('G1 X10 F600\nG4 P500\nG4 S2').summary.computedSeconds;
    expect(dwell - base).toBeCloseTo(2.5, 6);
  });
});

describe('G-code analysis: arcs', () => {
  const radiusOf = (p: number[], cx: number, cy: number) => Math.hypot(p[0] - cx, p[1] - cy);

  it('G2 with I/J: clockwise quarter circle, chords within tolerance', () => {
    const r = analyse('G1 X0 Y10\nG2 X10 Y0 I0 J-10 E5', { chordTolerance: 0.01 });
    const moves = readMoves(r.toolpath).slice(1);
    expect(moves.length).toBeGreaterThan(10);
    for (const m of moves) {
      expect(radiusOf(m.end, 0, 0)).toBeCloseTo(10, 4);
      const mid = [(m.start[0] + m.end[0]) / 2, (m.start[1] + m.end[1]) / 2];
      expect(10 - radiusOf(mid, 0, 0)).toBeLessThanOrEqual(0.0101);
      // clockwise from (0,10) to (10,0) stays in the first quadrant
      expect(m.end[0]).toBeGreaterThanOrEqual(-1e-4);
      expect(m.end[1]).toBeGreaterThanOrEqual(-1e-4);
    }
    close(moves[moves.length - 1].end, [10, 0, 0]);
    expect(r.summary.filamentMm).toBeCloseTo(5, 6);
  });

  it('G3 with I/J goes counter-clockwise the long way for the same end points', () => {
    const r = analyse('G1 X0 Y10\nG3 X10 Y0 I0 J-10 E5');
    const moves = readMoves(r.toolpath).slice(1);
    // three quarters of a circle through (-10,0) and (0,-10)
    expect(Math.min(...moves.map((m) => m.end[0]))).toBeCloseTo(-10, 1);
    expect(Math.min(...moves.map((m) => m.end[1]))).toBeCloseTo(-10, 1);
  });

  it('G2/G3 with R: positive R takes the short arc, negative R the long one', () => {
    const short = readMoves(analyse('G1 X0 Y0\nG2 X10 Y10 R10 E1').toolpath).slice(1);
    const long = readMoves(analyse('G1 X0 Y0\nG2 X10 Y10 R-10 E1').toolpath).slice(1);
    // Short clockwise arc from (0,0) to (10,10) turns around (10,0): it stays at x ≤ 10, y ≥ 0.
    for (const m of short) expect(radiusOf(m.end, 10, 0)).toBeCloseTo(10, 4);
    expect(Math.max(...short.map((m) => m.end[1]))).toBeLessThanOrEqual(10.0001);
    // Long arc turns around (0,10) and passes (-10,10).
    for (const m of long) expect(radiusOf(m.end, 0, 10)).toBeCloseTo(10, 4);
    expect(Math.min(...long.map((m) => m.end[0]))).toBeCloseTo(-10, 1);
    expect(long.length).toBeGreaterThan(short.length * 2);
    const ccw = readMoves(analyse('G1 X0 Y0\nG3 X10 Y10 R10 E1').toolpath).slice(1);
    for (const m of ccw) expect(radiusOf(m.end, 0, 10)).toBeCloseTo(10, 4);
  });

  it('a full circle (end = start, I/J given) sweeps 360°, with helix Z', () => {
    const r = analyse('G1 X10 Y0 Z1\nG2 X10 Y0 I-10 J0 Z3 E6.2832');
    const moves = readMoves(r.toolpath).slice(1);
    const xs = moves.map((m) => m.end[0]);
    expect(Math.min(...xs)).toBeCloseTo(-10, 1);
    close(moves[moves.length - 1].end, [10, 0, 3]);
    // Z rises steadily along the helix
    for (let i = 1; i < moves.length; i++) expect(moves[i].end[2]).toBeGreaterThan(moves[i - 1].end[2]);
    const length = moves.reduce((sum, m) => sum + Math.hypot(m.end[0] - m.start[0], m.end[1] - m.start[1]), 0);
    expect(length).toBeCloseTo(2 * Math.PI * 10, 1);
  });

  it('P adds whole turns, relative mode moves the end, degenerate arcs become lines', () => {
    const turns = readMoves(analyse('G1 X10 Y0\nG3 X10 Y0 I-10 J0 P1').toolpath).slice(1);
    const length = turns.reduce((sum, m) => sum + Math.hypot(m.end[0] - m.start[0], m.end[1] - m.start[1]), 0);
    expect(length).toBeCloseTo(4 * Math.PI * 10, 0);
    const rel = readMoves(analyse('G1 X10 Y0\nG91\nG3 X-20 Y0 I-10 J0').toolpath);
    close(rel[rel.length - 1].end, [-10, 0, 0]);
    const flat = readMoves(analyse('G1 X10\nG2 X20').toolpath);
    expect(flat.length).toBe(2);
    close(flat[1].end, [20, 0, 0]);
  });

  it('arcs in G18/G19 planes are drawn straight and reported', () => {
    const r = analyse('G18\nG2 X10 Z0 I5 K0');
    expect(readMoves(r.toolpath).length).toBe(1);
    expect(r.summary.warnings.join(' ')).toMatch(/G18\/G19/);
  });
});

describe('G-code analysis: retraction, tools, features, layers', () => {
  it('firmware retraction (G10/G11) makes the moves between them travel; G10 L/P is not a retraction', () => {
    const r = analyse('M83\nG1 X10 E1\nG10\nG1 X20 E0.1\nG11\nG1 X30 E1\nG10 L2 P1 X0\nG1 X40 E1');
    expect(readMoves(r.toolpath).map((m) => m.extrudes)).toEqual([true, false, true, true]);
  });

  it('tool changes set the tool of each segment and count filament per tool', () => {
    const r = analyse('M109 T1 S200\nM83\nG1 X10 E2\nT1\nG1 X20 E3\nG1 X25 E-1\nT0\nG1 X30 E1');
    const moves = readMoves(r.toolpath);
    expect(moves.map((m) => m.tool)).toEqual([0, 1, 1, 0]);
    expect(r.summary.filamentMmPerTool).toEqual([3, 2]);
    expect(r.summary.toolsUsed).toEqual([0, 1]);
  });

  it('maps Cura and PrusaSlicer ;TYPE: names to feature codes', () => {
    expect(featureFromName('WALL-OUTER')).toBe(Feature.OuterWall);
    expect(featureFromName('External perimeter')).toBe(Feature.OuterWall);
    expect(featureFromName('Internal infill')).toBe(Feature.Infill);
    expect(featureFromName('FILL')).toBe(Feature.Infill);
    expect(featureFromName('Support material interface')).toBe(Feature.SupportInterface);
    expect(featureFromName('Something new')).toBe(Feature.Other);
    const r = analyse(';TYPE:WALL-OUTER\nG1 X10 E1\n;TYPE:FILL\nG1 X20 E2\nG0 X0');
    expect(readMoves(r.toolpath).map((m) => m.feature)).toEqual([Feature.OuterWall, Feature.Infill, Feature.Infill]);
  });

  it('layers from Cura ;LAYER: markers: start code joins layer 0', () => {
    const r = analyse(
      'G1 Z2\nG1 X1 Z0.3 E1\n;LAYER_COUNT:2\n;LAYER:0\nG1 Z0.2\nG1 X10 E2\n;LAYER:1\nG0 Z0.4\nG1 X20 E3\nG1 Z5',
    );
    expect(r.summary.layerSource).toBe('markers');
    expect(r.summary.layerCount).toBe(2);
    expect(r.layers[0].firstSegment).toBe(0);
    expect(r.layers[0].endSegment).toBe(r.layers[1].firstSegment);
    expect(r.layers[1].z).toBeCloseTo(0.4, 6);
    expect(r.layers[1].endSegment).toBe(r.toolpath.segmentCount);
    expect(r.layers[1].firstLine).toBe(7);
  });

  it('layers from PrusaSlicer ;LAYER_CHANGE, even when Z rises within a layer (spiral vase)', () => {
    let text = ';LAYER_CHANGE\n;Z:0.2\nG1 Z0.2\nG1 X10 E1\n';
    for (let layer = 1; layer < 4; layer++) {
      text += ';LAYER_CHANGE\n';
      for (let k = 1; k <= 10; k++) text += `G1 X${k % 2 ? 0 : 10} Z${(0.2 + layer * 0.2 + k * 0.02).toFixed(2)} E${layer * 10 + k}\n`;
    }
    const r = analyse(text);
    expect(r.summary.layerCount).toBe(4);
    expect(r.layers.map((l) => l.endSegment - l.firstSegment)).toEqual([2, 10, 10, 10]);
  });

  it('layers from Z changes when there are no markers; Z hops do not count', () => {
    const r = analyse('G1 Z0.2\nG1 X10 E1\nG1 Z0.6\nG0 X0\nG1 Z0.2\nG1 Y10 E2\nG1 Z0.4\nG1 X10 E3\nG1 Z0.6\nG1 Y0 E4');
    expect(r.summary.layerSource).toBe('z');
    expect(r.layers.map((l) => l.z)).toEqual([0.2, 0.4, 0.6]);
  });

  it('non-planar moves without markers are grouped into Z bands, not one layer per move', () => {
    let text = 'M83\n';
    for (let k = 0; k < 1000; k++) text += `G1 X${k % 2 ? 0 : 10} Z${(0.2 + k * 0.001).toFixed(3)} E0.1\n`;
    const r = analyse(text, { minLayerStep: 0.05 });
    expect(r.summary.layerCount).toBe(20);
  });

  it('bounds cover extruded moves only; travel bounds cover all', () => {
    const r = analyse('G0 X-50 Y-50 Z10\nG1 X10 Y10 Z0.2\nG1 X20 Y30 E1\nG0 X200');
    expect(r.summary.bounds).toEqual({ min: [10, 10, 0.2], max: [20, 30, 0.2] });
    expect(r.summary.travelBounds?.max[0]).toBe(200);
  });
});

describe('G-code analysis: time', () => {
  it('prefers the slicer time: the last ;TIME_ELAPSED:, then ;TIME:, then PrusaSlicer’s estimate', () => {
    expect(analyse(';TIME:100\nG1 X10\n;TIME_ELAPSED:12.5\n;TIME_ELAPSED:80.5').summary.estimatedSeconds).toBe(80.5);
    expect(analyse(';TIME:100\nG1 X10').summary).toMatchObject({ estimatedSeconds: 100, timeSource: 'slicer' });
    const prusa = analyse('G1 X10\n; estimated printing time (normal mode) = 1h 2m 3s');
    expect(prusa.summary.estimatedSeconds).toBe(3723);
  });

  it('computes time from feed rates with acceleration when the slicer says nothing', () => {
    // 100 mm at 50 mm/s with a = 500: 0.1 s to reach speed (2.5 mm) each way, 95 mm cruise.
    const r = analyse('M204 S500\nG1 X100 F3000');
    expect(r.summary.timeSource).toBe('computed');
    expect(r.summary.estimatedSeconds).toBeCloseTo(0.2 + 95 / 50, 6);
    // Straight on through a junction keeps speed; a right angle stops.
    const straight = analyse('G1 X50 F3000\nG1 X100').summary.computedSeconds;
    const corner = analyse('G1 X50 F3000\nG1 X50 Y50').summary.computedSeconds;
    expect(straight).toBeCloseTo(2.1, 6);
    expect(corner).toBeCloseTo(2.2, 6);
  });
});

describe('G-code analysis: memory', () => {
  it('keeps the analysed form within the file size, joining segments when it must', () => {
    let text = ';LAYER:0\nG1 Z0.2 F1200\n';
    for (let k = 0; k < 20_000; k++) text += `G1 X${(100 + k * 0.001).toFixed(3)} Y${(100 + (k % 2)).toFixed(3)} E${(k * 0.03).toFixed(5)}\n`;
    const size = new TextEncoder().encode(text).length;
    const full = analyse(text, { sizeHint: size }, 4096);
    expect(full.summary.reduced).toBe(false);
    expect(full.summary.toolpathBytes).toBeLessThanOrEqual(size);
    // A budget a quarter of the need forces joining, but statistics are unchanged.
    const small = analyse(text, { sizeHint: size, maxSegments: 5_000 }, 4096);
    expect(small.summary.reduced).toBe(true);
    expect(small.summary.reducedReason).toMatch(/simplified/);
    expect(small.toolpath.segmentCount).toBeLessThanOrEqual(5_000);
    expect(small.summary.toolpathBytes).toBeLessThanOrEqual(5_001 * BYTES_PER_SEGMENT);
    expect(small.summary.totalSegments).toBe(full.summary.totalSegments);
    expect(small.summary.filamentMm).toBe(full.summary.filamentMm);
    // The reduced path still spans the whole file.
    const last = small.toolpath.lines[small.toolpath.segmentCount - 1];
    expect(last).toBe(full.toolpath.lines[full.toolpath.segmentCount - 1]);
  });

  it('stops storing and says so when even joining cannot fit', () => {
    let text = '';
    for (let k = 0; k < 5000; k++) text += `G1 X${k % 2 ? 10 : 0} E${k}\nG0 Y${k}\n`; // alternating kinds never join
    const r = analyse(text, { maxSegments: 1024 }, 4096);
    expect(r.summary.reduced).toBe(true);
    expect(r.summary.reducedReason).toMatch(/not drawn/);
    expect(r.toolpath.segmentCount).toBeLessThanOrEqual(1024);
    expect(r.summary.totalSegments).toBe(analyse(text, {}, 4096).summary.totalSegments);
  });

  it('per-vertex attributes share the buffers of the per-segment arrays', () => {
    const r = analyse(';TYPE:FILL\nG1 X1 E1\nG0 X2');
    const flags = perVertex(r.toolpath.flags, r.toolpath.segmentCount);
    expect(flags.length).toBe(3);
    expect(flags[1]).toBe(r.toolpath.flags[0]);
    expect(flags.buffer).toBe(r.toolpath.flags.buffer);
  });

  it('finds the segments printed up to a line (follow-the-print)', () => {
    const r = analyse('G1 X1 E1\nM105\nG1 X2 E2\nG2 X4 Y0 I1 J0 E3\nG1 X5 E4');
    const n = r.toolpath.segmentCount;
    expect(segmentsThroughLine(r.toolpath, 0)).toBe(0);
    expect(segmentsThroughLine(r.toolpath, 2)).toBe(1);
    expect(segmentsThroughLine(r.toolpath, 3)).toBe(2);
    expect(segmentsThroughLine(r.toolpath, 4)).toBe(n - 1);
    expect(segmentsThroughLine(r.toolpath, 99)).toBe(n);
  });

  it('refuses more bytes after finishing', () => {
    const analyser = new GcodeAnalyser();
    analyser.push(new TextEncoder().encode('G1 X1\n'));
    analyser.finish();
    expect(() => analyser.push(new Uint8Array(1))).toThrow(/finished/);
  });
});
