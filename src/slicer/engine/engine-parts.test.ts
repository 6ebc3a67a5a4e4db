import { describe, expect, it } from 'vitest';
import { whyOutsideVolume } from './build-volume.js';
import { collectDefinitionChain } from './definition-chain.js';
import { buildEngineArguments } from './engine-arguments.js';
import { filamentGrams, findLayerCount, headerFromEngineLog, parseHeader, replaceHeader } from './gcode-header.js';
import { boundsOf, decodeBinaryStl, shiftedStlCopy } from './placed-mesh.js';
import { placedPositions } from '../../models/placement/placed-mesh.js';
import { encodeBinaryStl } from '../../models/stl-writer.js';
import { boxTriangles } from './testing/box-mesh.js';
import { packageDefinitionLoader } from '../../../wasm/node-engine.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('definition chain', () => {
  it('collects the machine, its parents and extruders, fdmprinter and fdmextruder', async () => {
    const files = await collectDefinitionChain('creality_ender3', packageDefinitionLoader());
    expect(files.map((file) => file.fileId).sort()).toEqual(
      ['creality_base', 'creality_base_extruder_0', 'creality_ender3', 'fdmextruder', 'fdmprinter'].sort(),
    );
    expect(files[0].fileId).toBe('creality_ender3');
  });

  it('looks ids up case-insensitively and writes them under the spelling referred to', async () => {
    const files = await collectDefinitionChain('101hero', packageDefinitionLoader());
    const ids = files.map((file) => file.fileId);
    expect(ids).toContain('101Hero_extruder_0');
  });

  it('names what is missing', async () => {
    await expect(collectDefinitionChain('no_such_printer', packageDefinitionLoader())).rejects.toThrow(
      'The printer definition "no_such_printer" is missing.',
    );
  });
});

describe('engine arguments', () => {
  it('sends every global, then every extruder block, then each model after its extruder', () => {
    const args = buildEngineArguments({
      machineFile: '/d/m.def.json',
      settings: { global: { layer_height: '0.2', center_object: 'True' }, extruders: [{ a: '1' }, { a: '2' }] },
      meshes: [
        { path: '/a.stl', extruder: 1 },
        { path: '/b.stl', extruder: 0 },
      ],
      outputFile: '/o.gcode',
    });
    expect(args).toEqual([
      'slice', '-v', '-j', '/d/m.def.json',
      '-s', 'layer_height=0.2', '-s', 'center_object=False',
      '-e0', '-s', 'a=1', '-s', 'center_object=False',
      '-e1', '-s', 'a=2', '-s', 'center_object=False',
      '-e1', '-l', '/a.stl', '-e0', '-l', '/b.stl',
      '-o', '/o.gcode',
    ]);
  });
});

describe('G-code header', () => {
  const log = ['Starting export...', 'Gcode header after slicing:', ';FLAVOR:Marlin', ';TIME:1234', ';Filament used: 1.5m, 0.25m', ';Layer height: 0.2',
    ';MINX:100', ';MINY:101', ';MINZ:0.2', ';MAXX:120', ';MAXY:121', ';MAXZ:20', 'End of gcode header.'];

  it('reads the final header from the engine log', () => {
    const header = headerFromEngineLog(log)!;
    const facts = parseHeader(header);
    expect(facts.printSeconds).toBe(1234);
    expect(facts.filamentMm).toEqual([1500, 250]);
    expect(facts.bounds).toEqual({ min: [100, 101, 0.2], max: [120, 121, 20] });
  });

  it('replaces the placeholder header and keeps the rest byte for byte', () => {
    const body = ';Generated with Cura_SteamEngine master\nM140 S60\n;LAYER_COUNT:100\n;LAYER:0\nG1 X1 Y1 E1\n';
    const placeholder = ';FLAVOR:Marlin\n;TIME:6666\n;Filament used: 0m\n;Layer height: 0.2\n;MINX:2.14748e+06\n\n';
    const out = decoder.decode(replaceHeader(encoder.encode(placeholder + body), headerFromEngineLog(log)!));
    expect(out.startsWith(';FLAVOR:Marlin\n;TIME:1234\n;Filament used: 1.5m, 0.25m\n')).toBe(true);
    expect(out.endsWith(`\n${body}`)).toBe(true);
    expect(out).not.toContain('6666');
    expect(findLayerCount(encoder.encode(out))).toBe(100);
  });

  it('computes grams from length, diameter and density', () => {
    // 1 m of 1.75 mm PLA: π × 0.875² × 1000 mm³ × 1.24 g/cm³ ≈ 2.98 g
    expect(filamentGrams([1000], [1.75], [1.24])).toBeCloseTo(2.982, 2);
  });
});

describe('placed meshes and the build volume', () => {
  it('applies the placement to the vertices and round-trips through binary STL', () => {
    const box = boxTriangles([0, 0, 0], [10, 10, 10]);
    // translate by (5, -5, 0), column-major
    const placement = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, -5, 0, 1];
    const placed = placedPositions(box, placement);
    expect(boundsOf(placed)).toEqual({ min: [5, -5, 0], max: [15, 5, 10] });
    const decoded = decodeBinaryStl(encodeBinaryStl(placed));
    expect(decoded).toEqual(placed);
    // The writer applies the placement itself, to the same vertices.
    expect(decodeBinaryStl(encodeBinaryStl(box, placement))).toEqual(placed);
    expect(decodeBinaryStl(new ArrayBuffer(10))).toMatch(/too short/);
  });

  it('shifts a copy for the engine in one pass, with the bounds of the original', () => {
    const placement = [0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 100, 50, 2, 1]; // 90° about Z, then moved
    const expected = placedPositions(boxTriangles([0, 0, 0], [10, 10, 10]), placement);
    const stl = encodeBinaryStl(expected);
    const shifted = shiftedStlCopy(stl, -117.5, -117.5);
    if (typeof shifted === 'string') throw new Error(shifted);
    expect(shifted.bounds).toEqual(boundsOf(expected));
    const moved = decodeBinaryStl(shifted.bytes.buffer as ArrayBuffer) as Float32Array;
    expect(boundsOf(moved)!.min[0]).toBeCloseTo(boundsOf(expected)!.min[0] - 117.5, 4);
    expect(decodeBinaryStl(stl)).toEqual(expected); // the original is untouched
    expect(shiftedStlCopy(new ArrayBuffer(10), 1, 1)).toMatch(/too short/);
  });

  it('says why an object is outside, including round beds', () => {
    const box = boxTriangles([80, -10, 0], [100, 10, 20]);
    const volume = { width: 220, depth: 220, height: 250, shape: 'rectangular' as const, originAtCenter: true };
    expect(whyOutsideVolume(box, boundsOf(box)!, volume)).toBeNull();
    const far = boxTriangles([100, -10, 0], [120, 10, 20]);
    expect(whyOutsideVolume(far, boundsOf(far)!, volume)).toBe('too far left or right');
    expect(whyOutsideVolume(box, boundsOf(box)!, { ...volume, shape: 'elliptic' })).toBeNull();
    const corner = boxTriangles([80, 80, 0], [100, 100, 20]);
    expect(whyOutsideVolume(corner, boundsOf(corner)!, { ...volume, shape: 'elliptic' })).toBe('outside the round bed');
    const tall = boxTriangles([0, 0, 0], [10, 10, 300]);
    expect(whyOutsideVolume(tall, boundsOf(tall)!, volume)).toContain('taller than');
    // Front-left origin: the same box near X = 0 is inside, a box around X = 0 is not.
    const frontLeft = { ...volume, originAtCenter: false };
    const nearOrigin = boxTriangles([1, 1, 0], [21, 21, 20]);
    expect(whyOutsideVolume(nearOrigin, boundsOf(nearOrigin)!, frontLeft)).toBeNull();
    const aroundOrigin = boxTriangles([-10, 1, 0], [10, 21, 20]);
    expect(whyOutsideVolume(aroundOrigin, boundsOf(aroundOrigin)!, frontLeft)).toBe('too far left or right');
  });
});
