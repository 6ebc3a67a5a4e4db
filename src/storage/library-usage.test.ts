import { describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { importLibraryFiles } from './library-import.js';
import { availableBytes, libraryUsage } from './library-usage.js';
import { openSliceportStorage } from './sliceport-storage.js';

describe('library usage', () => {
  it('is the sum of the stored files, whatever the browser estimates', async () => {
    const storage = await openSliceportStorage({ name: `usage-${crypto.randomUUID()}` });
    const stl = new Uint8Array(84 + 50 * 3);
    new DataView(stl.buffer).setUint32(80, 3, true);
    await importLibraryFiles(storage, [
      { name: 'cube.stl', blob: new Blob([stl]) },
      { name: 'cube.gcode', blob: new Blob(['G28\nG1 Z5\n']) },
    ]);
    const usage = libraryUsage(await storage.models.list(), await storage.gcode.list());
    expect(usage).toEqual({ modelCount: 1, gcodeCount: 1, storedBytes: 234 + 10 });
    storage.close();
  });

  it('ignores sizes that are not real', () => {
    expect(libraryUsage([{ size: Number.NaN }, { size: 5 }], [{ size: -1 }]).storedBytes).toBe(5);
  });

  it('takes only the room left from the browser', () => {
    expect(availableBytes({ usage: 35_000_000, quota: 1_000_000_000 })).toBe(965_000_000);
    expect(availableBytes({ usage: 2, quota: 1 })).toBe(0);
    expect(availableBytes({ usage: 6_000_000 })).toBeUndefined();
  });
});
