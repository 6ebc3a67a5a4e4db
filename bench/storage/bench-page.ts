// Runs in Chromium: stores a large synthetic G-code file through Sliceport's storage the way the
// slicer (a stream) and the file picker (a Blob) do, streams it back the way a print does, and deletes
// it. Reports times; the Node side measures memory.

import { openSliceportStorage } from '../../src/storage/sliceport-storage.js';

const MiB = 1024 * 1024;

/** One MiB of plausible G-code moves, so the bytes look like what a printer gets. */
function gcodeBlock(seed: number): Uint8Array {
  const lines: string[] = [];
  let size = 0;
  let x = seed % 200;
  while (size < MiB) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const line = `G1 X${((x % 22000) / 100).toFixed(2)} Y${((x % 21700) / 100).toFixed(2)} E${((x % 997) / 10000).toFixed(5)}\n`;
    lines.push(line);
    size += line.length;
  }
  return new TextEncoder().encode(lines.join('')).subarray(0, MiB);
}

const blocks = Array.from({ length: 8 }, (_, i) => gcodeBlock(i));

/** The file as a slicer emits it: fresh buffers, one after another. */
async function* stream(totalMiB: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < totalMiB; i += 1) yield blocks[i % blocks.length]!.slice();
}

async function checksumOf(chunks: AsyncIterable<Uint8Array>): Promise<[number, number]> {
  let sum = 0;
  let bytes = 0;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i += 4096) sum = (sum + chunk[i]! * (i + 1)) % 2147483647;
    bytes += chunk.byteLength;
  }
  return [sum, bytes];
}

const storage = await openSliceportStorage({ name: `bench-${Date.now()}` });
let streamedId = '';
let blobId = '';
let expectedSum = 0;

/** Each step is a separate call, so the Node side can measure memory per step. */
const steps = {
  async writeStream(totalMiB: number): Promise<number> {
    [expectedSum] = await checksumOf(stream(totalMiB));
    const t = performance.now();
    streamedId = (await storage.gcode.add({ name: 'bench.gcode', source: 'slicer' }, stream(totalMiB))).id;
    return performance.now() - t;
  },
  async firstChunk(): Promise<number> {
    const t = performance.now();
    const iterator = storage.gcode.chunks(streamedId)[Symbol.asyncIterator]();
    await iterator.next();
    const ms = performance.now() - t;
    await iterator.return(undefined);
    return ms;
  },
  async readAll(totalMiB: number): Promise<{ ms: number; intact: boolean }> {
    const t = performance.now();
    const [sum, bytes] = await checksumOf(storage.gcode.chunks(streamedId));
    return { ms: performance.now() - t, intact: sum === expectedSum && bytes === totalMiB * MiB };
  },
  /** As readAll, collecting garbage every 16 MiB: what the read really keeps alive. */
  async readAllCollected(totalMiB: number): Promise<{ ms: number; intact: boolean }> {
    const collect = (globalThis as { gc?: () => void }).gc;
    const t = performance.now();
    let sum = 0;
    let bytes = 0;
    let index = 0;
    for await (const chunk of storage.gcode.chunks(streamedId)) {
      for (let i = 0; i < chunk.length; i += 4096) sum = (sum + chunk[i]! * (i + 1)) % 2147483647;
      bytes += chunk.byteLength;
      index += 1;
      if (index % 16 === 0) collect?.();
    }
    return { ms: performance.now() - t, intact: sum === expectedSum && bytes === totalMiB * MiB };
  },
  async writeBlob(blobMiB: number): Promise<number> {
    const blob = new Blob(Array.from({ length: blobMiB }, (_, i) => blocks[i % blocks.length] as BlobPart));
    const t = performance.now();
    blobId = (await storage.gcode.add({ name: 'picked.gcode', source: 'file' }, blob)).id;
    return performance.now() - t;
  },
  async remove(): Promise<number> {
    const t = performance.now();
    await storage.gcode.delete(streamedId);
    const ms = performance.now() - t;
    await storage.gcode.delete(blobId);
    return ms;
  },
};

(window as unknown as { storageBench: typeof steps }).storageBench = steps;
