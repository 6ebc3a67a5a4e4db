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
