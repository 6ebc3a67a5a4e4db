import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSliceportStorage, type SliceportStorage } from './sliceport-storage.js';
import type { JobRecord, PrinterProfileRecord, SlicingProfileRecord } from './records.js';
import { onStorageChange, type StorageChange } from './storage-changes.js';

const opened: SliceportStorage[] = [];
async function freshStorage(): Promise<SliceportStorage> {
  const storage = await openSliceportStorage({ name: `records-${crypto.randomUUID()}` });
  opened.push(storage);
  return storage;
}
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

function printer(id: string): PrinterProfileRecord {
  return {
    id,
    name: 'Ender 3 V2',
    machineDefinitionId: 'creality_ender3',
    baudRate: 115200,
    volume: { width: 220, depth: 220, height: 250, shape: 'rectangular', originAtCenter: false },
    extruderCount: 1,
    heatedBed: true,
    heatedChamber: false,
    maxHotendTemp: 260,
    maxBedTemp: 100,
    scripts: { pause: '', resume: '', cancel: 'M104 S0\nM140 S0', afterConnect: '' },
    receiveBufferBytes: 127,
    flowControl: 'auto',
    updatedAt: 1,
  };
}

function job(id: string, gcodeId: string, startedAt: number): JobRecord {
  return {
    id,
    gcodeId,
    fileName: 'cube.gcode',
    printerId: 'p1',
    printerName: 'Ender 3 V2',
    startedAt,
    updatedAt: startedAt,
    outcome: 'completed',
    progress: 1,
    lastLine: 1200,
    filamentUsedMm: 812.5,
  };
}

describe('models', () => {
  it('round-trips bytes and metadata, lists without bytes, updates and deletes', async () => {
    const storage = await freshStorage();
    const bytes = new Uint8Array([1, 2, 3, 250, 251]).buffer;
    const thumbnail = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
    const added = await storage.models.add({ name: 'Bracket.STL', bytes, thumbnail, dimensions: [10, 20, 5] });
    expect(added.format).toBe('stl');
    expect(added.size).toBe(5);

    const read = await storage.models.get(added.id);
    expect(new Uint8Array(read!.bytes)).toEqual(new Uint8Array([1, 2, 3, 250, 251]));
    expect(read!.dimensions).toEqual([10, 20, 5]);
    expect(read!.thumbnail).toBeInstanceOf(Blob);
    expect(new Uint8Array(await read!.thumbnail!.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));

    const second = await storage.models.add({ name: 'gear.3mf', bytes: new ArrayBuffer(3) });
    const list = await storage.models.list();
    expect(list.map((model) => model.name)).toContain('gear.3mf');
    expect(list.every((model) => !('bytes' in model))).toBe(true);

    const renamed = await storage.models.update(second.id, { name: 'Gear.3mf', triangleCount: 1200 });
    expect(renamed.name).toBe('Gear.3mf');
    expect((await storage.models.getSummary(second.id))!.triangleCount).toBe(1200);
    expect(new Uint8Array((await storage.models.get(second.id))!.bytes).byteLength).toBe(3);

    await storage.models.delete(added.id);
    expect(await storage.models.get(added.id)).toBeUndefined();
    expect((await storage.models.list()).map((model) => model.id)).toEqual([second.id]);
  });

  it('refuses to update a model that is gone, with a plain message', async () => {
    const storage = await freshStorage();
    await expect(storage.models.update('nope', { name: 'x' })).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining('no longer in the library'),
    });
  });
});

describe('profiles, jobs and settings', () => {
  it('round-trips printer profiles', async () => {
    const storage = await freshStorage();
    await storage.printerProfiles.put(printer('p1'));
    await storage.printerProfiles.put({ ...printer('p2'), name: 'Prusa MK3S', baudRate: 'auto' });
    expect(await storage.printerProfiles.get('p1')).toEqual(printer('p1'));
    expect((await storage.printerProfiles.list()).map((p) => p.name).sort()).toEqual(['Ender 3 V2', 'Prusa MK3S']);
    await storage.printerProfiles.delete('p1');
    expect(await storage.printerProfiles.get('p1')).toBeUndefined();
  });

  it('round-trips slicing profiles and finds them per printer', async () => {
    const storage = await freshStorage();
    const profile: SlicingProfileRecord = {
      id: 's1',
      printerId: 'p1',
      name: 'Fine PLA',
      machineDefinitionId: 'creality_ender3',
      changes: { global: { layer_height: 0.12 }, extruders: { '0': { material_print_temperature: 205 } } },
      updatedAt: 5,
    };
    await storage.slicingProfiles.put(profile);
    await storage.slicingProfiles.put({ ...profile, id: 's2', printerId: 'p2' });
    expect(await storage.slicingProfiles.get('s1')).toEqual(profile);
    expect(await storage.slicingProfiles.listForPrinter('p1')).toEqual([profile]);
  });

  it('round-trips jobs, newest first, and by G-code file', async () => {
    const storage = await freshStorage();
    await storage.jobs.put(job('j1', 'g1', 100));
    await storage.jobs.put(job('j2', 'g2', 300));
    await storage.jobs.put({ ...job('j3', 'g1', 200), outcome: 'failed', reason: 'Thermal runaway' });
    expect((await storage.jobs.list()).map((j) => j.id)).toEqual(['j2', 'j3', 'j1']);
    expect((await storage.jobs.listForGcode('g1')).map((j) => j.id).sort()).toEqual(['j1', 'j3']);
    expect((await storage.jobs.get('j3'))!.reason).toBe('Thermal runaway');
  });

  it('round-trips settings with a fallback for missing keys', async () => {
    const storage = await freshStorage();
    expect(await storage.settings.get('lastPrinterId', 'none')).toBe('none');
    await storage.settings.set('lastPrinterId', 'p1');
    await storage.settings.set('panels', { log: true, width: 320 });
    expect(await storage.settings.get('lastPrinterId', 'none')).toBe('p1');
    expect(await storage.settings.all()).toEqual({ lastPrinterId: 'p1', panels: { log: true, width: 320 } });
    await storage.settings.delete('lastPrinterId');
    expect(await storage.settings.get('lastPrinterId', 'none')).toBe('none');
  });

  it('announces committed writes to other contexts', async () => {
    const storage = await freshStorage();
    const seen: StorageChange[] = [];
    const stop = onStorageChange((change) => seen.push(change));
    await storage.jobs.put(job('j9', 'g9', 1));
    await storage.settings.set('k', 1);
    await expect.poll(() => seen.length).toBe(2);
    stop();
    expect(seen).toEqual([
      { store: 'jobs', kind: 'put', ids: ['j9'] },
      { store: 'settings', kind: 'put', ids: ['k'] },
    ]);
  });
});
