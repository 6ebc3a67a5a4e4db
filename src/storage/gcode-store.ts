// G-code files: metadata in `gcode`, bytes in 1 MiB records in `gcodeChunks`. A 200 MB file is never
// one string nor one buffer: it goes in as a stream of chunks and comes out as one.
//
// A file that fits in one transaction is written in one. A bigger one (a long stream) is written in
// batches: chunks first, under a `gcodeWrites` marker, and the metadata last, so no reader ever sees a
// file whose bytes are not all there. A crash half-way leaves only chunks nobody owns, which the next
// open deletes (see connection.ts).

import { issueRequests, readTransaction, writeTransaction, type SliceportDb } from './connection.js';
import { announceChange } from './storage-changes.js';
import { StorageError, storageError, toStorageError } from './storage-error.js';
import type { GcodeRecord } from './records.js';
import { newRecordId } from './record-id.js';

export const GCODE_CHUNK_BYTES = 1024 * 1024;
/** Inputs up to this size are written in one transaction; larger ones are streamed in batches. */
export const SINGLE_TRANSACTION_BYTES = 32 * 1024 * 1024;
/** `bytes()` refuses files above this: use `chunks()` or `blob()`. */
export const MAX_BYTES_IN_ONE_BUFFER = 64 * 1024 * 1024;
const CHUNKS_PER_WRITE_BATCH = 8;
const CHUNKS_PER_READ = 4;
/** A job still "running" and updated this recently holds its file: deleting it would stop the print. */
const RUNNING_JOB_FRESH_MS = 30 * 60 * 1000;

export type GcodeSource = ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface NewGcode {
  name: string;
  source: GcodeRecord['source'];
  thumbnail?: Blob;
  estimatedSeconds?: number;
  filamentMm?: number;
  filamentGrams?: number;
  layerCount?: number;
  lineCount?: number;
  /** Fingerprint of the bytes (`content-hash.ts`), when the caller computed it while reading the file. */
  contentHash?: string;
}

export type GcodeUpdate = Partial<Omit<GcodeRecord, 'id' | 'size' | 'chunkCount' | 'chunkSize' | 'addedAt' | 'updatedAt'>>;

class SourceReadError extends Error {}

async function* piecesOf(data: GcodeSource): AsyncGenerator<Uint8Array> {
  if (data instanceof ArrayBuffer) {
    yield new Uint8Array(data);
  } else if (ArrayBuffer.isView(data)) {
    yield new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } else if (typeof Blob !== 'undefined' && data instanceof Blob) {
    for (let offset = 0; offset < data.size; offset += GCODE_CHUNK_BYTES) {
      yield new Uint8Array(await data.slice(offset, offset + GCODE_CHUNK_BYTES).arrayBuffer());
    }
  } else if (typeof ReadableStream !== 'undefined' && data instanceof ReadableStream) {
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* data as AsyncIterable<Uint8Array>;
  }
}

/** Re-cuts arbitrary pieces into fresh, exactly `size`-byte buffers (the last one may be shorter). */
async function* rechunk(pieces: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<ArrayBuffer> {
  let chunk = new Uint8Array(size);
  let filled = 0;
  try {
    for await (const piece of pieces) {
      let offset = 0;
      while (offset < piece.byteLength) {
        const take = Math.min(size - filled, piece.byteLength - offset);
        chunk.set(piece.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === size) {
          yield chunk.buffer;
          chunk = new Uint8Array(size);
          filled = 0;
        }
      }
    }
  } catch (error) {
    throw new SourceReadError(error instanceof Error ? error.message : String(error));
  }
  if (filled > 0) yield chunk.buffer.slice(0, filled);
}

export class GcodeStore {
  constructor(
    private readonly db: () => SliceportDb,
    private readonly now: () => number,
  ) {}

  /** Stores a new G-code file and returns its record once every byte is stored. */
  async add(meta: NewGcode, data: GcodeSource): Promise<GcodeRecord> {
    const id = newRecordId();
    const chunks = rechunk(piecesOf(data), GCODE_CHUNK_BYTES);
    const head: ArrayBuffer[] = [];
    let headBytes = 0;
    let exhausted = false;
    try {
      while (headBytes < SINGLE_TRANSACTION_BYTES) {
        const next = await chunks.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        head.push(next.value);
        headBytes += next.value.byteLength;
      }
    } catch (error) {
      throw this.failure(error, meta.name);
    }
    const record = exhausted
      ? await this.writeWhole(id, meta, head)
      : await this.writeStreamed(id, meta, head, chunks);
    announceChange({ store: 'gcode', kind: 'put', ids: [id] });
    return record;
  }

  private recordFor(id: string, meta: NewGcode, size: number, chunkCount: number): GcodeRecord {
    const at = this.now();
    return { ...meta, id, size, chunkCount, chunkSize: GCODE_CHUNK_BYTES, addedAt: at, updatedAt: at };
  }

  private async writeWhole(id: string, meta: NewGcode, chunks: ArrayBuffer[]): Promise<GcodeRecord> {
    const size = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const record = this.recordFor(id, meta, size, chunks.length);
    await writeTransaction(
      this.db(),
      ['gcode', 'gcodeChunks'],
      async (tx) => {
        const store = tx.objectStore('gcodeChunks');
        await issueRequests([
          ...chunks.map((bytes, index) => () => store.put({ gcodeId: id, index, bytes })),
          () => tx.objectStore('gcode').put(record),
        ]);
      },
      `save G-code ${meta.name}`,
    );
    return record;
  }

  private async writeStreamed(
    id: string,
    meta: NewGcode,
    head: ArrayBuffer[],
    rest: AsyncIterator<ArrayBuffer>,
  ): Promise<GcodeRecord> {
    const db = this.db();
    const startedAt = this.now();
    await writeTransaction(
      db,
      ['gcodeWrites'],
      async (tx) => {
        await tx.objectStore('gcodeWrites').put({ gcodeId: id, startedAt, touchedAt: startedAt });
      },
      `start saving G-code ${meta.name}`,
    );
    let index = 0;
    let size = 0;
    const flush = async (batch: ArrayBuffer[]) => {
      const first = index;
      index += batch.length;
      await writeTransaction(
        db,
        ['gcodeChunks', 'gcodeWrites'],
        async (tx) => {
          const store = tx.objectStore('gcodeChunks');
          await issueRequests([
            ...batch.map((bytes, offset) => () => store.put({ gcodeId: id, index: first + offset, bytes })),
            () => tx.objectStore('gcodeWrites').put({ gcodeId: id, startedAt, touchedAt: this.now() }),
          ]);
        },
        `save G-code ${meta.name}`,
      );
      for (const bytes of batch) size += bytes.byteLength;
    };
    try {
      for (let at = 0; at < head.length; at += CHUNKS_PER_WRITE_BATCH) {
        await flush(head.slice(at, at + CHUNKS_PER_WRITE_BATCH));
      }
      head.length = 0;
      let batch: ArrayBuffer[] = [];
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        batch.push(next.value);
        if (batch.length === CHUNKS_PER_WRITE_BATCH) {
          await flush(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await flush(batch);
      const record = this.recordFor(id, meta, size, index);
      // The metadata appears last, in the same transaction that retires the marker.
      await writeTransaction(
        db,
        ['gcode', 'gcodeWrites'],
        async (tx) => {
          await issueRequests([() => tx.objectStore('gcode').put(record), () => tx.objectStore('gcodeWrites').delete(id)]);
        },
        `save G-code ${meta.name}`,
      );
      return record;
    } catch (error) {
      // Stop reading the source (releases a stream's reader) and drop what was written.
      await rest.return?.(undefined)?.catch(() => undefined);
      await this.discardChunks(id).catch(() => undefined);
      throw this.failure(error, meta.name);
    }
  }

  private failure(error: unknown, name: string): StorageError {
    if (error instanceof SourceReadError) return storageError('source', `read ${name}: ${error.message}`);
    return toStorageError(error, `save G-code ${name}`);
  }

  /** Deletes the chunks and marker of a write that did not finish. */
  private async discardChunks(id: string): Promise<void> {
    await writeTransaction(
      this.db(),
      ['gcodeChunks', 'gcodeWrites'],
      async (tx) => {
        await issueRequests([
          () => tx.objectStore('gcodeChunks').delete(IDBKeyRange.bound([id, 0], [id, Infinity])),
          () => tx.objectStore('gcodeWrites').delete(id),
        ]);
      },
      `discard unfinished G-code ${id}`,
    );
  }

  async get(id: string): Promise<GcodeRecord | undefined> {
    return readTransaction(this.db(), ['gcode'], (tx) => tx.objectStore('gcode').get(id), `read G-code ${id}`);
  }

  /** Every G-code file's metadata, newest first. */
  async list(): Promise<GcodeRecord[]> {
    const all = await readTransaction(
      this.db(),
      ['gcode'],
      (tx) => tx.objectStore('gcode').index('addedAt').getAll(),
      'list G-code',
    );
    return all.reverse();
  }

  /**
   * The file's bytes in order, one chunk at a time, each read in its own short transaction: a print
   * streams through a 200 MB file holding a few MiB at most and never keeps a transaction open.
   */
  async *chunks(id: string, options: { fromChunk?: number } = {}): AsyncGenerator<Uint8Array, void, undefined> {
    const record = await this.get(id);
    if (!record) throw storageError('not-found', `G-code ${id}`);
    for (let first = options.fromChunk ?? 0; first < record.chunkCount; first += CHUNKS_PER_READ) {
      const last = Math.min(first + CHUNKS_PER_READ, record.chunkCount) - 1;
      const batch = await readTransaction(
        this.db(),
        ['gcodeChunks'],
        (tx) => tx.objectStore('gcodeChunks').getAll(IDBKeyRange.bound([id, first], [id, last])),
        `read G-code ${record.name}`,
      );
      if (batch.length !== last - first + 1) {
        throw storageError('corrupt', `G-code ${id}: chunks ${first}..${last}, found ${batch.length}`);
      }
      for (const chunk of batch) yield new Uint8Array(chunk.bytes);
    }
  }

  /** The whole file as a Blob (the browser may keep a big one on disk rather than in memory). */
  async blob(id: string, type = 'text/x-gcode'): Promise<Blob> {
    const parts: Uint8Array[] = [];
    for await (const chunk of this.chunks(id)) parts.push(chunk);
    return new Blob(parts as BlobPart[], { type });
  }

  /** The whole file in one buffer: for small files only (previews of a test print, unit tests). */
  async bytes(id: string, maxBytes = MAX_BYTES_IN_ONE_BUFFER): Promise<ArrayBuffer> {
    const record = await this.get(id);
    if (!record) throw storageError('not-found', `G-code ${id}`);
    if (record.size > maxBytes) {
      throw storageError(
        'invalid',
        `G-code ${id} is ${record.size} bytes, over ${maxBytes}`,
        'This G-code file is too large to load at once.',
      );
    }
    const all = new Uint8Array(record.size);
    let offset = 0;
    for await (const chunk of this.chunks(id)) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    if (offset !== record.size) throw storageError('corrupt', `G-code ${id}: ${offset} of ${record.size} bytes`);
    return all.buffer;
  }

  /** G-code files whose bytes have this fingerprint (older records without one are never returned). */
  async withContentHash(hash: string): Promise<GcodeRecord[]> {
    return readTransaction(
      this.db(),
      ['gcode'],
      (tx) => tx.objectStore('gcode').index('contentHash').getAll(hash),
      'find G-code by content',
    );
  }

  async update(id: string, change: GcodeUpdate): Promise<GcodeRecord> {
    const updated = await writeTransaction(
      this.db(),
      ['gcode'],
      async (tx) => {
        const store = tx.objectStore('gcode');
        const current = await store.get(id);
        if (!current) throw storageError('not-found', `G-code ${id}`);
        const next: GcodeRecord = {
          ...current,
          ...change,
          id,
          size: current.size,
          chunkCount: current.chunkCount,
          chunkSize: current.chunkSize,
          addedAt: current.addedAt,
          updatedAt: this.now(),
        };
        await store.put(next);
        return next;
      },
      `update G-code ${id}`,
    );
    announceChange({ store: 'gcode', kind: 'put', ids: [id] });
    return updated;
  }

  /** Deletes the file and all its chunks in one transaction; refuses while a print uses it. */
  async delete(id: string): Promise<void> {
    await writeTransaction(
      this.db(),
      ['gcode', 'gcodeChunks', 'jobs'],
      async (tx) => {
        const jobs = await tx.objectStore('jobs').index('gcodeId').getAll(id);
        const now = this.now();
        if (jobs.some((job) => job.outcome === 'running' && now - job.updatedAt < RUNNING_JOB_FRESH_MS)) {
          throw storageError('in-use', `G-code ${id} has a running job`);
        }
        await issueRequests([
          () => tx.objectStore('gcode').delete(id),
          () => tx.objectStore('gcodeChunks').delete(IDBKeyRange.bound([id, 0], [id, Infinity])),
        ]);
      },
      `delete G-code ${id}`,
    );
    announceChange({ store: 'gcode', kind: 'delete', ids: [id] });
  }
}
