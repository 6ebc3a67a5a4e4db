import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openSliceportDb } from './connection.js';
import { contentHash } from './content-hash.js';
import { sameBytes } from './library-duplicates.js';
import { importLibraryFile, importLibraryFiles } from './library-import.js';
import { openSliceportStorage } from './sliceport-storage.js';

async function* pieces(bytes: Uint8Array, sizes: number[]): AsyncIterable<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

function cubeStl(seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(84 + 50 * 2);
  new DataView(bytes.buffer).setUint32(80, 2, true);
  bytes[90] = seed;
  return bytes;
}

describe('content fingerprint', () => {
  it('does not depend on how the bytes arrive, and tells different bytes apart', async () => {
    const bytes = new Uint8Array(2.5 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const whole = await contentHash(bytes);
    expect(await contentHash(pieces(bytes, [1000, 700_000, 3]))).toBe(whole);
    const changed = bytes.slice();
    changed[2_000_000] ^= 1;
    expect(await contentHash(changed)).not.toBe(whole);
    expect(await contentHash(new Uint8Array(0))).toMatch(/^sha256x1m:[0-9a-f]{64}$/);
  });

  it('compares two streams byte by byte whatever their chunks', async () => {
    const bytes = new Uint8Array(5000).map((_, i) => i % 256);
    expect(await sameBytes(pieces(bytes, [7, 1000]), pieces(bytes, [4096]))).toBe(true);
    expect(await sameBytes(pieces(bytes, [7]), pieces(bytes.subarray(0, 4999), [13]))).toBe(false);
    const other = bytes.slice();
    other[4321] = 0;
    expect(await sameBytes(pieces(bytes, [100]), pieces(other, [100]))).toBe(false);
  });
});

describe('adding a file the Library already holds', () => {
  it('finds the same model or G-code again, even under another name, and adds a copy only when asked', async () => {
    const storage = await openSliceportStorage({ name: `dup-${crypto.randomUUID()}` });
    const gcode = 'G28\nG1 Z5 F300\n';
    const [model, gc] = await importLibraryFiles(storage, [
      { name: 'cube.stl', blob: new Blob([cubeStl(1)]) },
      { name: 'cube.gcode', blob: new Blob([gcode]) },
    ]);
    if (!model?.ok || !gc?.ok) throw new Error('first import failed');
    const again = await importLibraryFiles(storage, [
      { name: 'cube.stl', blob: new Blob([cubeStl(1)]) },
      { name: 'renamed.gcode', blob: new Blob([gcode]) },
      { name: 'cube.stl', blob: new Blob([cubeStl(2)]) },
    ]);
    expect(again[0]).toMatchObject({ ok: false, duplicate: { kind: 'model', id: model.id, name: 'cube.stl' } });
    expect(again[0]!.ok === false && again[0]!.error.message).toBe('cube.stl is already in the Library: it is the same file.');
    expect(again[1]).toMatchObject({ ok: false, duplicate: { kind: 'gcode', id: gc.id } });
    expect(again[1]!.ok === false && again[1]!.error.message).toBe('renamed.gcode is already in the Library as “cube.gcode”: it is the same file.');
    expect(again[2]!.ok).toBe(true);
    const copy = await importLibraryFile(storage, { name: 'cube.stl', blob: new Blob([cubeStl(1)]) }, { allowDuplicate: true });
    expect(copy.ok).toBe(true);
    expect((await storage.models.list()).length).toBe(3);
    expect((await storage.gcode.list()).length).toBe(1);
    storage.close();
  });

  it('finds an identical file among records kept before fingerprints existed, by name, size and bytes', async () => {
    const name = `dup-old-${crypto.randomUUID()}`;
    const v2 = await openSliceportDb({ name, version: 2 });
    const raw = v2 as unknown as { put(store: string, value: unknown): Promise<unknown> };
    const stl = cubeStl(3);
    await raw.put('models', { id: 'old-model', name: 'part.stl', format: 'stl', size: stl.byteLength, addedAt: 1, updatedAt: 1 });
    await raw.put('modelBytes', { modelId: 'old-model', bytes: stl.slice().buffer });
    const text = new TextEncoder().encode('G28\nG1 X5\n');
    await raw.put('gcode', { id: 'old-gcode', name: 'part.gcode', size: text.byteLength, chunkCount: 1, chunkSize: 1048576, addedAt: 2, updatedAt: 2, source: 'file' });
    await raw.put('gcodeChunks', { gcodeId: 'old-gcode', index: 0, bytes: text.slice().buffer });
    v2.close();

    const storage = await openSliceportStorage({ name });
    const results = await importLibraryFiles(storage, [
      { name: 'part.stl', blob: new Blob([stl]) },
      { name: 'part.gcode', blob: new Blob([text]) },
      // Same name and size, different bytes: a new file.
      { name: 'part.stl', blob: new Blob([cubeStl(4)]) },
    ]);
    expect(results.map((r) => (r.ok ? 'added' : r.duplicate?.id))).toEqual(['old-model', 'old-gcode', 'added']);
    storage.close();
  });
});
