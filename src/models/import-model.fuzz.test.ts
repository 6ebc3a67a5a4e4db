// Property tests for reading model files, which come from anywhere. The readers' own typed error is
// `ModelImportError` (a code and a message for a person); `importModel` turns it into `{ ok: false }`.
// Whatever the bytes (random, cut short, bits flipped, damaged XML inside a valid ZIP), a reader returns a
// model or throws that error, and `importModel` never reports an unexpected ('internal') failure, and
// never hangs.
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { asciiStlText, binaryStlBytes, cubeObjText, cubeThreeMfBytes, cubeTriangles, threeMfPackage } from './fixtures/model-fixtures.js';
import { importModel } from './import-model.js';
import { ModelImportError, type ImportLimits } from './model-types.js';
import { readObj } from './obj-reader.js';
import { readStl } from './stl-reader.js';
import { readThreeMf } from './three-mf-reader.js';
import { scanXmlTags, xmlAttributes } from './xml-tags.js';
import { ZipArchive } from './zip-archive.js';

const RUNS = 10_000;
/** Small limits keep every case quick; the paths taken are the same as with the defaults. */
const limits: ImportLimits = { maxFileBytes: 4 * 1024 * 1024, maxTriangles: 200_000, maxInflatedBytes: 8 * 1024 * 1024 };
/** Hang guard for one case: these inputs are a few kilobytes. */
const CASE_LIMIT_MS = 2_000;
const encoder = new TextEncoder();

const threeMf = threeMfPackage;

/** The model XML of a cube 3MF, to damage before zipping. */
const cubeModelXml = (() => {
  const vertices: string[] = [];
  for (const z of [0, 10]) for (const y of [0, 10]) for (const x of [0, 10]) vertices.push(`<vertex x="${x}" y="${y}" z="${z}"/>`);
  const triangles = [[0, 2, 3], [0, 3, 1], [4, 5, 7], [4, 7, 6], [0, 1, 5], [0, 5, 4], [2, 6, 7], [2, 7, 3], [0, 4, 6], [0, 6, 2], [1, 3, 7], [1, 7, 5]]
    .map(([a, b, c]) => `<triangle v1="${a}" v2="${b}" v3="${c}"/>`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">' +
    `<resources><object id="1" name="Cube" type="model"><mesh><vertices>${vertices.join('')}</vertices><triangles>${triangles.join('')}</triangles></mesh></object>` +
    '<object id="2" type="model"><components><component objectid="1" transform="1 0 0 0 1 0 0 0 1 20 0 0"/></components></object></resources>' +
    '<build><item objectid="1"/><item objectid="2" transform="1 0 0 0 1 0 0 0 1 0 20 0"/></build></model>'
  );
})();

const validFiles: Array<{ name: string; bytes: Uint8Array }> = [
  { name: 'cube.stl', bytes: binaryStlBytes(cubeTriangles(20)) },
  { name: 'cube.stl', bytes: binaryStlBytes(cubeTriangles(7, [3, 4, 5]), 'solid but binary', 'computed') },
  { name: 'cube.stl', bytes: encoder.encode(asciiStlText(cubeTriangles(20))) },
  { name: 'cube.obj', bytes: encoder.encode(cubeObjText(20)) },
  { name: 'cube.3mf', bytes: cubeThreeMfBytes(20, [{}, { transform: '1 0 0 0 1 0 0 0 1 30 0 0' }]) },
  { name: 'cube.3mf', bytes: threeMf(cubeModelXml, 0) },
  { name: 'cube.3mf', bytes: threeMf(cubeModelXml, 6) },
];
const fileName = fc.constantFrom('model.stl', 'model.obj', 'model.3mf', 'model.STL', 'model', 'picture.png', 'a/b\\c.3mf');

/** A valid file, then damaged: cut short, bits flipped, bytes overwritten, a slice repeated or removed. */
const damagedFile = fc
  .tuple(
    fc.constantFrom(...validFiles),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
        fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('repeat' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 200 }) }),
        fc.record({ kind: fc.constant('remove' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 200 }) }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([file, edits]) => {
    let bytes = file.bytes;
    for (const edit of edits) {
      const at = Math.min(bytes.length, Math.floor(edit.at * bytes.length));
      if (edit.kind === 'cut') bytes = bytes.slice(0, at);
      else if (edit.kind === 'flip' && at < bytes.length) (bytes = bytes.slice())[at] ^= 1 << edit.bit;
      else if (edit.kind === 'set' && at < bytes.length) (bytes = bytes.slice())[at] = edit.value;
      else if (edit.kind === 'repeat') bytes = concat(bytes.subarray(0, at + edit.length), bytes.subarray(at));
      else if (edit.kind === 'remove') bytes = concat(bytes.subarray(0, at), bytes.subarray(at + edit.length));
    }
    return { name: file.name, bytes };
  });

/** The cube's model XML with text edits, zipped properly: reaches the 3MF reader past the ZIP checks. */
const damagedThreeMf = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 40 }),
        fc.oneof(
          fc.constantFrom('', '"', '<', '>', '/>', '</', '&amp;', '&#x110000;', '&#99999999999;', '&bogus;', 'NaN', '1e999', '-0', '99999999999', '-1',
            '<![CDATA[', ']]>', '<!--', '-->', '<?', '?>', 'objectid="1"', 'objectid="2"', '<component objectid="2"/>', 'transform="1 2"', 'unit="parsec"',
            'p:path="/3D/other.model"', '<triangle v1="0" v2="1" v3="99"/>', '<vertex x="a" y="" z="1"/>', 'type="other"', '<item objectid="9"/>'),
          fc.string({ maxLength: 12 }),
        ),
      ),
      { minLength: 1, maxLength: 5 },
    ),
    fc.constantFrom(0 as const, 6 as const),
  )
  .map(([edits, level]) => {
    let xml = cubeModelXml;
    for (const [at, remove, insert] of edits) {
      const i = Math.floor(at * xml.length);
      xml = xml.slice(0, i) + insert + xml.slice(i + remove);
    }
    return { name: 'damaged.3mf', bytes: threeMf(xml, level) };
  });

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A reader may return or throw its own typed error; anything else fails the property. */
function onlyTypedErrors(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    if (!(error instanceof ModelImportError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}

function checkImport(bytes: Uint8Array, name: string, readers: 'all' | '3mf' = 'all'): void {
  const started = performance.now();
  const outcome = importModel(bytes, name, limits);
  if (!outcome.ok && outcome.error.code === 'internal') throw new Error(`unexpected failure: ${outcome.error.detail}`);
  if (outcome.ok) {
    expect(outcome.model.triangleCount).toBeGreaterThan(0);
    for (const part of outcome.model.parts) if (!part.positions.every(Number.isFinite)) throw new Error('a model with a broken coordinate was accepted');
  }
  if (readers === 'all') {
    onlyTypedErrors(() => readStl(bytes, limits));
    onlyTypedErrors(() => readObj(bytes, limits));
  }
  onlyTypedErrors(() => readThreeMf(bytes, limits));
  expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS);
}

describe('model import under fuzzing', () => {
  it('reads any bytes to a model or a plain error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 300 }).map((s) => encoder.encode(`solid ${s}`)), fc.string({ maxLength: 300 }).map((s) => encoder.encode(`v 1 2 3\n${s}`))), fileName, (bytes, name) =>
        checkImport(bytes, name),
      ),
      { numRuns: RUNS },
    );
  });

  it('reads valid files cut short, with flipped bits or bytes moved, to a model or a plain error', () => {
    fc.assert(
      fc.property(damagedFile, fileName, (file, name) => {
        checkImport(file.bytes, file.name);
        checkImport(file.bytes, name);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads 3MF files with damaged XML inside a sound ZIP to a model or a plain error', () => {
    fc.assert(
      fc.property(damagedThreeMf, (file) => checkImport(file.bytes, file.name, '3mf')),
      { numRuns: RUNS },
    );
  });

  it('refuses components that multiply without end, even with no triangles to count', () => {
    // Each object holds its predecessor twice: 2^29 placements of an empty mesh, within the nesting allowed.
    const objects = ['<object id="1" type="model"><mesh><vertices></vertices><triangles></triangles></mesh></object>'];
    for (let id = 2; id <= 30; id++) {
      objects.push(`<object id="${id}" type="model"><components><component objectid="${id - 1}"/><component objectid="${id - 1}"/></components></object>`);
    }
    const xml = `<?xml version="1.0"?><model unit="millimeter"><resources>${objects.join('')}</resources><build><item objectid="30"/></build></model>`;
    const started = performance.now();
    const outcome = importModel(threeMf(xml), 'bomb.3mf', limits);
    expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ code: 'too-big' });
  });

  it('reads a character reference beyond Unicode, and a ZIP64 field cut short, as plain errors or text', () => {
    expect(xmlAttributes('name="a&#99999999999;b&#x41;"').get('name')).toBe('a\ufffdbA');
    // A central directory entry claiming ZIP64 sizes with an extra field too short to hold them.
    const bytes = zipSync({ 'a.txt': [strToU8('abc'), { level: 0 }] });
    const eocd = bytes.length - 22;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const central = view.getUint32(eocd + 16, true);
    view.setUint32(central + 24, 0xffffffff, true);
    const patched = concat(concat(bytes.subarray(0, central + 46 + 5), Uint8Array.of(1, 0, 2, 0, 0, 0)), bytes.subarray(central + 46 + 5));
    new DataView(patched.buffer).setUint16(central + 30, 6, true);
    new DataView(patched.buffer).setUint32(patched.length - 22 + 12, view.getUint32(eocd + 12, true) + 6, true);
    expect(() => new ZipArchive(patched, 1000)).toThrow(ModelImportError);
  });

  it('opens any bytes as a ZIP or refuses them plainly, and scans any text as XML', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), damagedFile.map((f) => f.bytes)), fc.string({ maxLength: 200 }), (bytes, text) => {
        onlyTypedErrors(() => {
          const archive = new ZipArchive(bytes, 1_000_000);
          for (const entry of archive.entries) onlyTypedErrors(() => archive.read(entry));
        });
        scanXmlTags(text, (tag) => xmlAttributes(tag.attributeText));
        xmlAttributes(text);
      }),
      { numRuns: RUNS },
    );
  });
});
