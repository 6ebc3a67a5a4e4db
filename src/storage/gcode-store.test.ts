import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSliceportDb } from './connection.js';
import { GCODE_CHUNK_BYTES, openSliceportStorage, type SliceportStorage } from './sliceport-storage.js';

const opened: SliceportStorage[] = [];
async function freshStorage(name = `gcode-${crypto.randomUUID()}`): Promise<SliceportStorage> {
  const storage = await openSliceportStorage({ name });
  opened.push(storage);
  return storage;
}
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

/** Deterministic pseudo-random bytes (xorshift), so a shifted or dropped chunk cannot go unnoticed. */
function noise(size: number, seed = 0x9e3779b9): Uint8Array {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0;
  for (let i = 0; i < words.length; i += 1) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  return new Uint8Array(words.buffer, 0, size);
}

/** Feeds `bytes` in uneven pieces, as a network or file stream would. */
async function* unevenPieces(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  const sizes = [700_001, 13, 1_048_576, 2_500_000, 1];
  let offset = 0;
  for (let i = 0; offset < bytes.byteLength; i += 1) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('G-code storage', () => {
  it('stores a small file in chunks and reads it back as bytes, Blob and chunks', async () => {
    const storage = await freshStorage();
    const text = 'G28\nG1 X10 Y10 F3000\n'.repeat(100_000); // ~2.1 MB
    const bytes = new TextEncoder().encode(text);
    const record = await storage.gcode.add({ name: 'cube.gcode', source: 'slicer', estimatedSeconds: 600 }, bytes);
    expect(record.size).toBe(bytes.byteLength);
    expect(record.chunkSize).toBe(GCODE_CHUNK_BYTES);
    expect(record.chunkCount).toBe(Math.ceil(bytes.byteLength / GCODE_CHUNK_BYTES));

    expect(new TextDecoder().decode(await storage.gcode.bytes(record.id))).toBe(text);
    const blob = await storage.gcode.blob(record.id);
    expect(blob.size).toBe(bytes.byteLength);
    expect(sha256(new Uint8Array(await blob.arrayBuffer()))).toBe(sha256(bytes));

    const sizes: number[] = [];
    for await (const chunk of storage.gcode.chunks(record.id)) sizes.push(chunk.byteLength);
    expect(sizes.slice(0, -1).every((size) => size === GCODE_CHUNK_BYTES)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(bytes.byteLength);

    const fromSecond: number[] = [];
    for await (const chunk of storage.gcode.chunks(record.id, { fromChunk: 1 })) fromSecond.push(chunk.byteLength);
    expect(fromSecond).toEqual(sizes.slice(1));
  });

  it('writes 50 MB streamed in uneven pieces and reads it back byte-exact', async () => {
    const storage = await freshStorage();
    const size = 50 * 1024 * 1024 + 12_345;
    const bytes = noise(size);
    const record = await storage.gcode.add({ name: 'big.gcode', source: 'file' }, unevenPieces(bytes));
    expect(record.size).toBe(size);
    expect(record.chunkCount).toBe(51);

    const hash = createHash('sha256');
    let offset = 0;
    let mismatchAt = -1;
    for await (const chunk of storage.gcode.chunks(record.id)) {
      expect(chunk.byteLength).toBeLessThanOrEqual(GCODE_CHUNK_BYTES);
      if (mismatchAt < 0 && Buffer.compare(Buffer.from(chunk), Buffer.from(bytes.subarray(offset, offset + chunk.byteLength))) !== 0) {
        mismatchAt = offset;
      }
      hash.update(chunk);
      offset += chunk.byteLength;
    }
    expect(mismatchAt).toBe(-1);
    expect(offset).toBe(size);
    expect(hash.digest('hex')).toBe(sha256(bytes));
    // The streamed write leaves no marker behind.
    expect(await storage.gcode.get(record.id)).toEqual(record);
  });

  it('stores an empty file and a Blob', async () => {
    const storage = await freshStorage();
    const empty = await storage.gcode.add({ name: 'empty.gcode', source: 'file' }, new ArrayBuffer(0));
    expect(empty.chunkCount).toBe(0);
    expect((await storage.gcode.bytes(empty.id)).byteLength).toBe(0);

    const bytes = noise(3 * GCODE_CHUNK_BYTES + 7, 42);
    const fromBlob = await storage.gcode.add({ name: 'print.gco', source: 'file' }, new Blob([bytes as BlobPart]));
    expect(sha256(new Uint8Array(await storage.gcode.bytes(fromBlob.id)))).toBe(sha256(bytes));
  });

  it('stores a ReadableStream, as a File or a fetch response gives it', async () => {
    const storage = await freshStorage();
    const bytes = noise(3 * GCODE_CHUNK_BYTES + 500, 7);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.byteLength; at += 65_536) controller.enqueue(bytes.slice(at, at + 65_536));
        controller.close();
      },
    });
    const record = await storage.gcode.add({ name: 'streamed.gcode', source: 'file' }, stream);
    expect(record.chunkCount).toBe(4);
    expect(sha256(new Uint8Array(await storage.gcode.bytes(record.id)))).toBe(sha256(bytes));
  });

  it('refuses to load a file bigger than the caller allows into one buffer', async () => {
    const storage = await freshStorage();
    const record = await storage.gcode.add({ name: 'a.gcode', source: 'file' }, noise(2 * GCODE_CHUNK_BYTES));
    await expect(storage.gcode.bytes(record.id, GCODE_CHUNK_BYTES)).rejects.toMatchObject({
      kind: 'invalid',
      message: 'This G-code file is too large to load at once.',
    });
  });

  it('lists newest first, updates metadata but never the size, deletes every chunk', async () => {
    let clock = 1000;
    const name = `gcode-${crypto.randomUUID()}`;
    const storage = await openSliceportStorage({ name, now: () => clock });
    opened.push(storage);
    const first = await storage.gcode.add({ name: 'first.gcode', source: 'file' }, noise(10));
    clock = 2000;
    const second = await storage.gcode.add({ name: 'second.gcode', source: 'slicer' }, noise(2 * GCODE_CHUNK_BYTES + 1));
    expect((await storage.gcode.list()).map((g) => g.name)).toEqual(['second.gcode', 'first.gcode']);

    clock = 3000;
    const updated = await storage.gcode.update(second.id, { name: 'renamed.gcode', layerCount: 120 });
    expect(updated).toMatchObject({ name: 'renamed.gcode', layerCount: 120, size: second.size, updatedAt: 3000, addedAt: 2000 });

    await storage.gcode.delete(second.id);
    expect(await storage.gcode.get(second.id)).toBeUndefined();
    await expect(storage.gcode.bytes(second.id)).rejects.toMatchObject({ kind: 'not-found' });
    storage.close();
    opened.length = 0;

    const db = await openSliceportDb({ name, cleanUp: false });
    const chunkKeys = await db.getAllKeys('gcodeChunks');
    expect(chunkKeys.map(([gcodeId]) => gcodeId)).toEqual([first.id]);
    db.close();
  });

  it('refuses to delete a file a running print is reading', async () => {
    const storage = await freshStorage();
    const record = await storage.gcode.add({ name: 'job.gcode', source: 'file' }, noise(100));
    await storage.jobs.put({
      id: 'j1',
      gcodeId: record.id,
      fileName: 'job.gcode',
      printerId: 'p',
      printerName: 'P',
      startedAt: Date.now(),
      updatedAt: Date.now(),
      outcome: 'running',
      progress: 0.1,
      lastLine: 10,
      filamentUsedMm: 1,
    });
    await expect(storage.gcode.delete(record.id)).rejects.toMatchObject({
      kind: 'in-use',
      message: 'This file is being printed. Finish or cancel the print before deleting it.',
    });
    expect((await storage.gcode.bytes(record.id)).byteLength).toBe(100);
  });

  it('reports an unreadable source plainly and keeps nothing of it', async () => {
    const name = `gcode-${crypto.randomUUID()}`;
    const storage = await freshStorage(name);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield noise(40 * GCODE_CHUNK_BYTES);
      throw new Error('file changed on disk');
    }
    await expect(storage.gcode.add({ name: 'moved.gcode', source: 'file' }, failing())).rejects.toMatchObject({
      kind: 'source',
      message: expect.stringContaining('could not be read'),
    });
    expect(await storage.gcode.list()).toEqual([]);
    const db = await openSliceportDb({ name, cleanUp: false });
    expect(await db.count('gcodeChunks')).toBe(0);
    expect(await db.count('gcodeWrites')).toBe(0);
    db.close();
  });
});
