import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { importLibraryFiles, libraryKindOf, LIBRARY_ACCEPT } from './library-import.js';
import { openSliceportStorage } from './sliceport-storage.js';

describe('library import', () => {
  it('sorts files by extension into models and G-code', () => {
    expect(libraryKindOf('Benchy.STL')).toBe('model');
    expect(libraryKindOf('part.obj')).toBe('model');
    expect(libraryKindOf('plate.3mf')).toBe('model');
    expect(libraryKindOf('cube.gcode')).toBe('gcode');
    expect(libraryKindOf('cube.GCO')).toBe('gcode');
    expect(libraryKindOf('cube.g')).toBe('gcode');
    expect(libraryKindOf('notes.txt')).toBeUndefined();
    expect(libraryKindOf('gcode')).toBeUndefined();
    expect(LIBRARY_ACCEPT).toBe('.stl,.obj,.3mf,.gcode,.gco,.g');
  });

  it('stores each file in its store and explains the ones it cannot take', async () => {
    const storage = await openSliceportStorage({ name: `import-${crypto.randomUUID()}` });
    const stl = new Uint8Array(84 + 50);
    const results = await importLibraryFiles(storage, [
      { name: 'cube.stl', blob: new Blob([stl]) },
      { name: 'cube.gcode', blob: new Blob(['G28\nG1 Z5\n']) },
      { name: 'photo.jpg', blob: new Blob(['x']) },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    const [model, gcode, refused] = results;
    if (!model?.ok || !gcode?.ok || refused?.ok !== false) throw new Error('unexpected results');
    expect(model.kind).toBe('model');
    expect((await storage.models.get(model.id))!.bytes.byteLength).toBe(134);
    expect(gcode.kind).toBe('gcode');
    expect(new TextDecoder().decode(await storage.gcode.bytes(gcode.id))).toBe('G28\nG1 Z5\n');
    expect(refused.error.message).toBe(
      'photo.jpg is not a file Sliceport can use. It takes models (.stl, .obj, .3mf) and G-code (.gcode, .gco, .g).',
    );
    storage.close();
  });
});

describe('library import checks each file before storing it', () => {
  const png = () => {
    const bytes = new Uint8Array(5000).fill(0x90);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    return bytes;
  };

  it('refuses a picture, an empty file, comments only, a model and lines a printer would refuse, in plain words', async () => {
    const storage = await openSliceportStorage({ name: `import-${crypto.randomUUID()}` });
    const longLine = `G1 X1 ; fine\nM117 ${'A'.repeat(120)}\n`;
    const results = await importLibraryFiles(storage, [
      { name: 'photo.gcode', blob: new Blob([png()]) },
      { name: 'empty.gcode', blob: new Blob([]) },
      { name: 'comments.gcode', blob: new Blob(['; just a note\n\n; another\n']) },
      { name: 'cube.gcode', blob: new Blob(['solid cube\nfacet normal 0 0 1\nouter loop\n']) },
      { name: 'long.gcode', blob: new Blob([longLine]) },
      { name: 'photo.stl', blob: new Blob([png()]) },
      { name: 'empty.stl', blob: new Blob([]) },
    ]);
    const messages = results.map((r) => (r.ok ? 'stored' : r.error.message));
    expect(messages).toEqual([
      'photo.gcode is a PNG image, not G-code, so it cannot be printed.',
      'empty.gcode is empty: it has no G-code in it.',
      'comments.gcode has no G-code commands in it (only comments or blank lines), so there is nothing to print.',
      'cube.gcode is an STL model, not G-code. Give it a .stl name to add it as a model, then slice it in Prepare.',
      expect.stringMatching(/^long\.gcode cannot be printed as it is:\nLine 2 is too long for the printer/),
      'photo.stl: This file is a PNG image, not a 3D model. Sliceport opens STL, OBJ and 3MF files.',
      'empty.stl: This file is empty: it has no content at all.',
    ]);
    for (const message of messages) expect(message).not.toMatch(/[\u0000-\u0008\u0080-\u00ff]/);
    expect(await storage.gcode.list()).toEqual([]);
    expect(await storage.models.list()).toEqual([]);
    storage.close();
  });

  it('checks a G-code file larger than the part looked at to tell what it is', async () => {
    const storage = await openSliceportStorage({ name: `import-${crypto.randomUUID()}` });
    const body = ';FLAVOR:Marlin\n' + 'G1 X10 Y10 E0.5\n'.repeat(20_000);
    const [ok] = await importLibraryFiles(storage, [{ name: 'big.gcode', blob: new Blob([body]) }]);
    expect(ok?.ok).toBe(true);
    const [bad] = await importLibraryFiles(storage, [{ name: 'late.gcode', blob: new Blob([body, 'M104 S200 \u00e9\n']) }]);
    expect(bad?.ok === false && bad.error.message).toMatch(/Line 20002 contains characters the printer cannot receive/);
    storage.close();
  });
});
