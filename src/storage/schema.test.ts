import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openSliceportDb } from './connection.js';
import { SCHEMA_VERSION } from './schema.js';
import { openSliceportStorage } from './sliceport-storage.js';
import type { StorageError } from './storage-error.js';

describe('schema upgrades', () => {
  it('upgrades a version 1 database and keeps every record', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const v1 = await openSliceportDb({ name, version: 1 });
    expect(v1.version).toBe(1);
    expect(v1.objectStoreNames.contains('modelBytes')).toBe(false);
    // Version 1 kept model bytes inline.
    const raw = v1 as unknown as {
      put(store: string, value: unknown): Promise<unknown>;
    };
    await raw.put('models', {
      id: 'm1',
      name: 'benchy.stl',
      format: 'stl',
      bytes: new Uint8Array([9, 8, 7]).buffer,
      size: 3,
      addedAt: 10,
      updatedAt: 10,
    });
    await raw.put('models', { id: 'm2', name: 'old.obj', format: 'obj', bytes: new Uint8Array([1]).buffer, size: 1, addedAt: 20, updatedAt: 20 });
    await raw.put('gcode', { id: 'g1', name: 'a.gcode', size: 4, chunkCount: 1, chunkSize: 1048576, addedAt: 5, updatedAt: 5, source: 'file' });
    await raw.put('gcodeChunks', { gcodeId: 'g1', index: 0, bytes: new TextEncoder().encode('G28\n').buffer });
    await raw.put('jobs', {
      id: 'j1', gcodeId: 'g1', fileName: 'a.gcode', printerId: 'p', printerName: 'P', startedAt: 7, updatedAt: 8,
      outcome: 'completed', progress: 1, lastLine: 1, filamentUsedMm: 0,
    });
    await raw.put('settings', { key: 'theme-note-seen', value: true });
    v1.close();

    const storage = await openSliceportStorage({ name });
    expect(storage.version).toBe(SCHEMA_VERSION);
    const model = await storage.models.get('m1');
    expect(new Uint8Array(model!.bytes)).toEqual(new Uint8Array([9, 8, 7]));
    const summaries = await storage.models.list();
    expect(summaries.map((m) => m.id)).toEqual(['m2', 'm1']);
    expect(summaries.every((m) => !('bytes' in m))).toBe(true);
    expect(new TextDecoder().decode(await storage.gcode.bytes('g1'))).toBe('G28\n');
    expect((await storage.jobs.listForGcode('g1')).map((j) => j.id)).toEqual(['j1']);
    expect(await storage.settings.get('theme-note-seen', false)).toBe(true);
    storage.close();
  });

  it('upgrades a version 2 database to 3: records keep their data and new ones are found by fingerprint', async () => {
    const name = `upgrade3-${crypto.randomUUID()}`;
    const v2 = await openSliceportDb({ name, version: 2 });
    const raw = v2 as unknown as { put(store: string, value: unknown): Promise<unknown> };
    await raw.put('models', { id: 'm1', name: 'old.stl', format: 'stl', size: 3, addedAt: 1, updatedAt: 1 });
    await raw.put('modelBytes', { modelId: 'm1', bytes: new Uint8Array([1, 2, 3]).buffer });
    await raw.put('gcode', { id: 'g1', name: 'a.gcode', size: 4, chunkCount: 1, chunkSize: 1048576, addedAt: 5, updatedAt: 5, source: 'file' });
    await raw.put('gcodeChunks', { gcodeId: 'g1', index: 0, bytes: new TextEncoder().encode('G28\n').buffer });
    expect(v2.transaction('models').store.indexNames.contains('contentHash')).toBe(false);
    v2.close();

    const storage = await openSliceportStorage({ name });
    expect(storage.version).toBe(3);
    expect(SCHEMA_VERSION).toBe(3);
    expect(new Uint8Array((await storage.models.get('m1'))!.bytes)).toEqual(new Uint8Array([1, 2, 3]));
    expect(new TextDecoder().decode(await storage.gcode.bytes('g1'))).toBe('G28\n');
    const added = await storage.models.add({ name: 'new.stl', bytes: new Uint8Array([4, 5]).buffer });
    expect(added.contentHash).toMatch(/^sha256x1m:/);
    expect((await storage.models.withContentHash(added.contentHash!)).map((m) => m.id)).toEqual([added.id]);
    const g = await storage.gcode.add({ name: 'b.gcode', source: 'file', contentHash: 'sha256x1m:test' }, new TextEncoder().encode('G1\n'));
    expect((await storage.gcode.withContentHash('sha256x1m:test')).map((r) => r.id)).toEqual([g.id]);
    storage.close();
  });

  it('tells the user when another tab holds the old version open, then continues once it closes', async () => {
    const name = `blocked-${crypto.randomUUID()}`;
    // The other tab's connection refuses to close while it prints.
    const oldTab = await openSliceportDb({ name, version: 1, onVersionChange: () => false });
    const blocked: StorageError[] = [];
    const opening = openSliceportStorage({ name, onBlocked: (error) => blocked.push(error) });
    await expect.poll(() => blocked.length).toBe(1);
    expect(blocked[0]!.kind).toBe('blocked');
    expect(blocked[0]!.message).toContain('another Sliceport tab or window still runs the old version');
    oldTab.close();
    const storage = await opening;
    expect(storage.version).toBe(SCHEMA_VERSION);
    storage.close();
  });

  it('closes an old connection for an upgrade by default and says so in plain words', async () => {
    const name = `versionchange-${crypto.randomUUID()}`;
    const closed: StorageError[] = [];
    const oldTab = await openSliceportStorage({ name, version: 1, onClosed: (error) => closed.push(error) });
    const newTab = await openSliceportStorage({ name, version: 2 });
    expect(closed.map((error) => error.kind)).toEqual(['closed']);
    expect(closed[0]!.message).toBe('Sliceport was updated in another tab. Reload this tab to continue.');
    await expect(oldTab.settings.get('x', 0)).rejects.toMatchObject({ kind: 'closed' });
    newTab.close();
  });

  it('refuses to open a newer database with a plain message', async () => {
    const name = `newer-${crypto.randomUUID()}`;
    const current = await openSliceportDb({ name });
    current.close();
    await expect(openSliceportDb({ name, version: 1 })).rejects.toMatchObject({
      kind: 'version',
      message: 'Another tab already runs a newer version of Sliceport. Reload this tab to use it.',
    });
  });
});
