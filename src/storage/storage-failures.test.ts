import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSliceportDb } from './connection.js';
import { GCODE_CHUNK_BYTES, openSliceportStorage, type SliceportStorage } from './sliceport-storage.js';

/**
 * Makes IndexedDB refuse every `put` after the first `allowed` ones with QuotaExceededError, as a full
 * disk does. Returns a function that restores the real `put`.
 */
function exhaustQuotaAfter(allowed: number): () => void {
  const proto = IDBObjectStore.prototype;
  const realPut = proto.put;
  let calls = 0;
  proto.put = function put(this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    calls += 1;
    if (calls > allowed) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return realPut.apply(this, args);
  };
  return () => {
    proto.put = realPut;
  };
}

let restore: (() => void) | undefined;
const opened: SliceportStorage[] = [];
afterEach(() => {
  restore?.();
  restore = undefined;
  for (const storage of opened.splice(0)) storage.close();
});

async function storageWithData(name: string) {
  const storage = await openSliceportStorage({ name });
  opened.push(storage);
  const model = await storage.models.add({ name: 'keep.stl', bytes: new Uint8Array([1, 2, 3]).buffer });
  const gcode = await storage.gcode.add({ name: 'keep.gcode', source: 'file' }, new TextEncoder().encode('G28\n'));
  return { storage, model, gcode };
}

/** Every key as stored, without the clean-up an open does (which would hide leftovers). */
async function snapshot(name: string) {
  const db = await openSliceportDb({ name, cleanUp: false });
  const state = {
    models: await db.getAllKeys('models'),
    modelBytes: await db.getAllKeys('modelBytes'),
    gcode: await db.getAllKeys('gcode'),
    gcodeChunks: await db.getAllKeys('gcodeChunks'),
    gcodeWrites: await db.getAllKeys('gcodeWrites'),
    settings: await db.getAll('settings'),
  };
  db.close();
  return state;
}

describe('a write that runs out of space', () => {
  it('leaves the model stores unchanged and gives a plain message', async () => {
    const name = `quota-${crypto.randomUUID()}`;
    const { storage } = await storageWithData(name);
    const before = await snapshot(name);
    // The metadata put goes through, the bytes put fails: the metadata must be rolled back.
    restore = exhaustQuotaAfter(1);
    await expect(storage.models.add({ name: 'big.stl', bytes: new ArrayBuffer(1000) })).rejects.toMatchObject({
      name: 'StorageError',
      kind: 'quota',
      message: expect.stringMatching(/^There is not enough storage space left.*Nothing was saved/),
      detail: expect.stringContaining('QuotaExceededError'),
    });
    restore();
    restore = undefined;
    expect(await snapshot(name)).toEqual(before);
    expect((await storage.models.list()).map((m) => m.name)).toEqual(['keep.stl']);
  });

  it('leaves the G-code stores unchanged when a one-transaction write fails half-way', async () => {
    const name = `quota-${crypto.randomUUID()}`;
    const { storage } = await storageWithData(name);
    const before = await snapshot(name);
    restore = exhaustQuotaAfter(3); // three chunks of five stored, then the disk is full
    await expect(
      storage.gcode.add({ name: 'part.gcode', source: 'slicer' }, new Uint8Array(5 * GCODE_CHUNK_BYTES)),
    ).rejects.toMatchObject({ kind: 'quota' });
    restore();
    restore = undefined;
    expect(await snapshot(name)).toEqual(before);
  });

  it('removes every chunk of a streamed write that fails after several transactions', async () => {
    const name = `quota-${crypto.randomUUID()}`;
    const { storage } = await storageWithData(name);
    const before = await snapshot(name);
    // 40 MiB is over the one-transaction limit: batches of chunks commit before the disk fills up.
    restore = exhaustQuotaAfter(30);
    await expect(
      storage.gcode.add({ name: 'huge.gcode', source: 'file' }, new Uint8Array(40 * GCODE_CHUNK_BYTES)),
    ).rejects.toMatchObject({ kind: 'quota' });
    restore();
    restore = undefined;
    expect(await snapshot(name)).toEqual(before);
  });

  it('leaves a setting as it was', async () => {
    const name = `quota-${crypto.randomUUID()}`;
    const { storage } = await storageWithData(name);
    await storage.settings.set('units', 'mm');
    restore = exhaustQuotaAfter(0);
    await expect(storage.settings.set('units', 'inch')).rejects.toMatchObject({ kind: 'quota' });
    restore();
    restore = undefined;
    expect(await storage.settings.get('units', '')).toBe('mm');
  });
});

describe('clean-up at open', () => {
  it('deletes chunks of a streamed write that crashed, and spares one still in progress', async () => {
    const name = `orphans-${crypto.randomUUID()}`;
    const { storage, gcode } = await storageWithData(name);
    storage.close();
    opened.length = 0;

    const db = await openSliceportDb({ name });
    const chunk = new Uint8Array(8).buffer;
    // A write that crashed an hour ago, one still running in another tab, and chunks with no marker at all.
    await db.put('gcodeWrites', { gcodeId: 'crashed', startedAt: 0, touchedAt: Date.now() - 60 * 60 * 1000 });
    await db.put('gcodeChunks', { gcodeId: 'crashed', index: 0, bytes: chunk });
    await db.put('gcodeChunks', { gcodeId: 'crashed', index: 1, bytes: chunk });
    await db.put('gcodeWrites', { gcodeId: 'writing', startedAt: Date.now(), touchedAt: Date.now() });
    await db.put('gcodeChunks', { gcodeId: 'writing', index: 0, bytes: chunk });
    await db.put('gcodeChunks', { gcodeId: 'lost', index: 0, bytes: chunk });
    await db.put('modelBytes', { modelId: 'lost-model', bytes: chunk });
    db.close();

    const reopened = await openSliceportStorage({ name });
    opened.push(reopened);
    const after = await snapshot(name);
    expect(after.gcodeChunks.map(([id]) => id).sort()).toEqual([gcode.id, 'writing'].sort());
    expect(after.gcodeWrites).toEqual(['writing']);
    expect(after.modelBytes).toHaveLength(1);
    expect(new TextDecoder().decode(await reopened.gcode.bytes(gcode.id))).toBe('G28\n');
  });
});
