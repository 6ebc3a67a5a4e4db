import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { asciiStlText, binaryStlBytes, cubeObjText, cubeThreeMfBytes, cubeTriangles, zipBombBytes } from './fixtures/model-fixtures.js';
import { importModel } from './import-model.js';
import { defaultImportLimits, type ImportOutcome, type ParsedModel } from './model-types.js';

const text = (value: string) => new TextEncoder().encode(value);

function expectModel(outcome: ImportOutcome): ParsedModel {
  if (!outcome.ok) throw new Error(`expected a model, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.model;
}

function expectError(outcome: ImportOutcome, code: string): string {
  if (outcome.ok) throw new Error(`expected error ${code}, got a model of ${outcome.model.triangleCount} triangles`);
  expect(outcome.error.code).toBe(code);
  expect(outcome.error.message.length).toBeGreaterThan(20);
  return outcome.error.message;
}

function expectCube(model: ParsedModel, size = 20) {
  expect(model.triangleCount).toBe(12);
  model.dimensions.forEach((d) => expect(d).toBeCloseTo(size, 4));
  expect(model.report.watertight).toBe(true);
  expect(model.report.boundaryEdges).toBe(0);
  expect(model.report.misorientedEdges).toBe(0);
  expect(model.report.signedVolume).toBeCloseTo(size ** 3, 0);
  expect(model.warnings.filter((w) => w.code !== 'zero-normals')).toEqual([]);
}

describe('STL', () => {
  it('reads a binary cube', () => {
    const model = expectModel(importModel(binaryStlBytes(cubeTriangles()), 'cube.stl'));
    expect(model.format).toBe('stl');
    expectCube(model);
  });

  it('reads an ASCII cube with the same geometry as the binary one', () => {
    const ascii = expectModel(importModel(text(asciiStlText(cubeTriangles())), 'cube.stl'));
    const binary = expectModel(importModel(binaryStlBytes(cubeTriangles()), 'cube.stl'));
    expectCube(ascii);
    expect(Array.from(ascii.parts[0].positions)).toEqual(Array.from(binary.parts[0].positions));
  });

  it('reads a binary STL whose header starts with "solid"', () => {
    const bytes = binaryStlBytes(cubeTriangles(), 'solid exported by a careless tool');
    expectCube(expectModel(importModel(bytes, 'cube.stl')));
  });

  it('reads several solids in one ASCII file as one model', () => {
    const two = asciiStlText(cubeTriangles(10), 'first') + asciiStlText(cubeTriangles(10, [20, 0, 0]), 'Second');
    const model = expectModel(importModel(text(two), 'two.stl'));
    expect(model.triangleCount).toBe(24);
    expect(model.dimensions[0]).toBeCloseTo(30);
    expect(model.report.watertight).toBe(true);
  });

  it('reads an ASCII STL saved with a byte order mark', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...text(asciiStlText(cubeTriangles()))]);
    expectCube(expectModel(importModel(bom, 'bom.stl')));
  });

  it('refuses a truncated binary STL and says how much is missing', () => {
    const bytes = binaryStlBytes(cubeTriangles()).subarray(0, 84 + 50 * 7 + 20);
    const message = expectError(importModel(bytes, 'cut.stl'), 'truncated');
    expect(message).toContain('12 triangles');
    expect(message).toContain('only 7');
  });

  it('refuses a truncated ASCII STL', () => {
    const full = asciiStlText(cubeTriangles());
    expectError(importModel(text(full.slice(0, full.length - 120)), 'cut.stl'), 'truncated');
  });

  it('refuses NaN and infinite coordinates', () => {
    const nan = cubeTriangles();
    nan[40] = NaN;
    expect(expectError(importModel(binaryStlBytes(nan), 'nan.stl'), 'invalid-number')).toContain('triangle 5');
    const infinite = cubeTriangles();
    infinite[3] = Infinity;
    expectError(importModel(binaryStlBytes(infinite), 'inf.stl'), 'invalid-number');
    const asciiNan = asciiStlText(cubeTriangles()).replace('vertex 0 0 0', 'vertex nan 0 0');
    expectError(importModel(text(asciiNan), 'nan.stl'), 'invalid-number');
  });

  it('refuses empty files and files with no triangles', () => {
    expectError(importModel(new Uint8Array(0), 'empty.stl'), 'empty');
    expectError(importModel(binaryStlBytes(new Float32Array(0)), 'none.stl'), 'no-triangles');
    expectError(importModel(text('solid nothing\nendsolid nothing\n'), 'none.stl'), 'no-triangles');
  });

  it('refuses a file with more triangles than the limit', () => {
    const limits = { ...defaultImportLimits, maxTriangles: 10 };
    expectError(importModel(binaryStlBytes(cubeTriangles()), 'cube.stl', limits), 'too-big');
    expectError(importModel(binaryStlBytes(cubeTriangles()), 'cube.stl', { ...defaultImportLimits, maxFileBytes: 100 }), 'too-big');
  });

  it('warns about stored normals that are all zero', () => {
    const model = expectModel(importModel(binaryStlBytes(cubeTriangles()), 'cube.stl'));
    expect(model.warnings.map((w) => w.code)).toEqual(['zero-normals']);
    const computed = expectModel(importModel(binaryStlBytes(cubeTriangles(), 'cube', 'computed'), 'cube.stl'));
    expect(computed.warnings).toEqual([]);
  });
});

describe('OBJ', () => {
  it('triangulates quads and resolves negative indices', () => {
    const model = expectModel(importModel(text(cubeObjText()), 'cube.obj'));
    expect(model.format).toBe('obj');
    expectCube(model);
  });

  it('triangulates an n-gon as a fan and reports its open edges', () => {
    const obj = 'v 0 0 0\nv 10 0 0\nv 12 8 0\nv 5 12 0\nv -2 8 0\nf 1 2 3 4 5\n';
    const model = expectModel(importModel(text(obj), 'pentagon.obj'));
    expect(model.triangleCount).toBe(3);
    expect(model.report.boundaryEdges).toBe(5);
    expect(model.warnings.map((w) => w.code)).toContain('open-edges');
  });

  it('refuses a face that points to a missing vertex', () => {
    expect(expectError(importModel(text('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n'), 'bad.obj'), 'bad-obj')).toContain('line 4');
    expectError(importModel(text('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 -4\n'), 'bad.obj'), 'bad-obj');
  });

  it('reads vertex/texture/normal references, CRLF lines and groups, and skips lines', () => {
    const obj = 'o a\r\nv 0 0 0\r\nv 10 0 0\r\nv 0 10 0\r\nv 0 0 10\r\nvt 0 0\r\nvn 0 0 1\r\ng side\r\nf 1/1/1 3/1/1 2/1/1\r\nf 1//1 2//1 4//1\r\nf 2 3 4\r\nf 1 4 3\r\nl 1 2\r\n';
    const model = expectModel(importModel(text(obj), 'tetra.obj'));
    expect(model.triangleCount).toBe(4);
    expect(model.report.watertight).toBe(true);
    expect(model.report.signedVolume).toBeCloseTo(1000 / 6, 3);
    expect(model.warnings.map((w) => w.code)).toContain('skipped-content');
  });

  it('refuses a broken vertex coordinate in an OBJ', () => {
    expectError(importModel(text('v 0 0 nan\nv 1 0 0\nv 0 1 0\nf 1 2 3\n'), 'nan.obj'), 'invalid-number');
  });

  it('refuses an OBJ with vertices but no faces', () => {
    expectError(importModel(text('v 0 0 0\nv 1 0 0\nv 0 1 0\n'), 'points.obj'), 'no-triangles');
  });
});

describe('3MF', () => {
  it('reads a cube built with fflate', () => {
    const model = expectModel(importModel(cubeThreeMfBytes(), 'cube.3mf'));
    expect(model.format).toBe('3mf');
    expect(model.parts).toHaveLength(1);
    expectCube(model);
  });

  it('applies build item transforms and keeps one part per item', () => {
    const bytes = cubeThreeMfBytes(10, [{ transform: '1 0 0 0 1 0 0 0 1 0 0 0' }, { transform: '0 1 0 -1 0 0 0 0 2 50 0 5' }]);
    const model = expectModel(importModel(bytes, 'two.3mf'));
    expect(model.parts).toHaveLength(2);
    // Second item: x' = -y + 50, y' = x, z' = 2z + 5.
    expect(model.bounds.min).toEqual([0, 0, 0]);
    expect(model.bounds.max).toEqual([50, 10, 25]);
  });

  it('leaves out build items marked not printable', () => {
    const files = {
      '3D/3dmodel.model': strToU8(
        '<model xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><resources><object id="1"><mesh><vertices>' +
          '<vertex x="0" y="0" z="0"/><vertex x="1" y="0" z="0"/><vertex x="0" y="1" z="0"/><vertex x="0" y="0" z="1"/></vertices><triangles>' +
          '<triangle v1="0" v2="2" v3="1"/><triangle v1="0" v2="1" v3="3"/><triangle v1="1" v2="2" v3="3"/><triangle v1="0" v2="3" v3="2"/>' +
          '</triangles></mesh></object></resources><build><item objectid="1"/><item objectid="1" printable="0" transform="1 0 0 0 1 0 0 0 1 9 0 0"/></build></model>',
      ),
    };
    const parsed = expectModel(importModel(zipSync(files), 'tetra.3mf'));
    expect(parsed.parts).toHaveLength(1);
    expect(parsed.bounds.max[0]).toBe(1);
  });

  it('honours the model unit', () => {
    const model = expectModel(importModel(cubeThreeMfBytes(1, [{}], 'inch'), 'inch.3mf'));
    expect(model.dimensions[0]).toBeCloseTo(25.4, 4);
  });

  it('refuses a file that is not a zip although named .3mf', () => {
    expect(expectError(importModel(text('hello, this is not a model at all'), 'fake.3mf'), 'unknown-format')).toContain('.3mf');
  });

  it('refuses a damaged zip', () => {
    const bytes = cubeThreeMfBytes();
    expectError(importModel(bytes.subarray(0, bytes.length - 30), 'cut.3mf'), 'bad-zip');
  });

  it('refuses a zip bomb while inflating, whatever the zip declares', () => {
    const bomb = zipBombBytes(8 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(64 * 1024);
    // Lie about the inflated size in the central directory so only the streaming limit can catch it.
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let i = bomb.length - 22; i > 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 100, true);
    }
    const message = expectError(importModel(bomb, 'bomb.3mf', { ...defaultImportLimits, maxInflatedBytes: 2 * 1024 * 1024 }), 'zip-bomb');
    expect(message).toContain('2 MB');
  });

  it('refuses a build item that refers to a missing object', () => {
    const files = { '3D/3dmodel.model': strToU8('<model xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><resources></resources><build><item objectid="7"/></build></model>') };
    expect(expectError(importModel(zipSync(files), 'bad.3mf'), 'bad-3mf')).toContain('object 7');
  });

  it('refuses a beam lattice with no triangles plainly', () => {
    const model =
      '<model xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02" xmlns:b="http://schemas.microsoft.com/3dmanufacturing/beamlattice/2017/02">' +
      '<resources><object id="1"><mesh><vertices><vertex x="0" y="0" z="0"/><vertex x="0" y="0" z="9"/></vertices><triangles/>' +
      '<b:beamlattice><b:beams><b:beam v1="0" v2="1"/></b:beams></b:beamlattice></mesh></object></resources><build><item objectid="1"/></build></model>';
    expect(expectError(importModel(zipSync({ '3D/3dmodel.model': strToU8(model) }), 'lattice.3mf'), 'no-triangles')).toContain('beam lattice');
  });
});

describe('content sniffing', () => {
  it('opens a binary STL named .obj by its content and says so', () => {
    const model = expectModel(importModel(binaryStlBytes(cubeTriangles()), 'cube.obj'));
    expect(model.format).toBe('stl');
    expect(model.warnings.map((w) => w.code)).toContain('extension-mismatch');
  });

  it('opens a 3MF named .stl', () => {
    expect(expectModel(importModel(cubeThreeMfBytes(), 'cube.stl')).format).toBe('3mf');
  });

  it('names a foreign file', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(expectError(importModel(png, 'photo.stl'), 'unknown-format')).toContain('PNG');
  });

  it('names a real-sized picture or document renamed .stl instead of reading it as a cut-short STL', () => {
    // A PNG's IHDR chunk puts 0x48 0x44 0x52 (…) where a binary STL keeps its triangle count.
    const png = new Uint8Array(4096);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    png.fill(0x48, 80, 84);
    const message = expectError(importModel(png, 'photo.stl'), 'unknown-format');
    expect(message).toBe('This file is a PNG image, not a 3D model. Sliceport opens STL, OBJ and 3MF files.');
    expect(message).not.toMatch(/cut short|triangles/);
    const jpeg = new Uint8Array(2000).fill(7);
    jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
    expect(expectError(importModel(jpeg, 'photo.stl'), 'unknown-format')).toContain('a JPEG image');
    const pdf = text('%PDF-1.7\n' + 'x'.repeat(500));
    expect(expectError(importModel(pdf, 'drawing.stl'), 'unknown-format')).toContain('a PDF document');
  });

  it('names a ZIP that holds no 3D model part', () => {
    const zip = zipSync({ 'notes.txt': strToU8('hello'), 'photo.jpg': strToU8('not really') });
    const message = expectError(importModel(zip, 'parts.3mf'), 'unknown-format');
    expect(message).toContain('a ZIP archive, not a 3D model');
    const docx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w/>') });
    expect(expectError(importModel(docx, 'parts.stl'), 'unknown-format')).toContain('office document');
  });

  it('says once, in plain words, that G-code is not a model', () => {
    const gcode = text('; generated by a slicer\nG28\nG1 X10 Y10 Z0.2 E1\n'.repeat(10));
    const message = expectError(importModel(gcode, 'part.stl'), 'unknown-format');
    expect(message).toBe('This file is G-code, not a 3D model: open it from the Library to preview or print it.');
  });
});

describe('mesh checks', () => {
  it('finds a flipped face', () => {
    const cube = cubeTriangles();
    // Swap two corners of the first triangle: its three edges now run the same way as their neighbours'.
    const swap = cube.slice(3, 6);
    cube.set(cube.slice(6, 9), 3);
    cube.set(swap, 6);
    const model = expectModel(importModel(binaryStlBytes(cube), 'flipped.stl'));
    expect(model.report.misorientedEdges).toBe(3);
    expect(model.warnings.map((w) => w.code)).toContain('misoriented-faces');
  });

  it('finds a cube turned inside out', () => {
    const cube = cubeTriangles();
    for (let t = 0; t < 12; t++) {
      const b = cube.slice(t * 9 + 3, t * 9 + 6);
      cube.set(cube.slice(t * 9 + 6, t * 9 + 9), t * 9 + 3);
      cube.set(b, t * 9 + 6);
    }
    const model = expectModel(importModel(binaryStlBytes(cube), 'inside-out.stl'));
    expect(model.report.signedVolume).toBeCloseTo(-8000, 0);
    expect(model.warnings.map((w) => w.code)).toContain('inside-out');
  });

  it('finds non-manifold edges', () => {
    const cube = cubeTriangles();
    const fin = Float32Array.from([0, 0, 0, 20, 0, 0, 10, -10, 10]);
    const model = expectModel(importModel(binaryStlBytes(Float32Array.from([...cube, ...fin])), 'fin.stl'));
    expect(model.report.nonManifoldEdges).toBe(1);
    expect(model.warnings.map((w) => w.code)).toContain('non-manifold-edges');
  });

  it('offers ×25.4 for a model drawn in inches and ×1000 for one in metres', () => {
    const inches = expectModel(importModel(binaryStlBytes(cubeTriangles(2)), 'inch.stl'));
    expect(inches.warnings.find((w) => w.code === 'probably-inches')?.suggestedScale).toBe(25.4);
    const metres = expectModel(importModel(binaryStlBytes(cubeTriangles(0.15)), 'metre.stl'));
    expect(metres.warnings.find((w) => w.code === 'probably-metres')?.suggestedScale).toBe(1000);
    const normal = expectModel(importModel(binaryStlBytes(cubeTriangles(20)), 'mm.stl'));
    expect(normal.warnings.some((w) => w.suggestedScale)).toBe(false);
  });
});
