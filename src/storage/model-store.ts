// Model files (STL, OBJ, 3MF): metadata in `models`, original bytes in `modelBytes`, always written and
// deleted together in one transaction.

import { issueRequests, readTransaction, writeTransaction, type SliceportDb } from './connection.js';
import { contentHash } from './content-hash.js';
import { announceChange } from './storage-changes.js';
import { storageError } from './storage-error.js';
import type { ModelRecord, ModelSummary } from './records.js';
import { newRecordId } from './record-id.js';

export interface NewModel {
  name: string;
  bytes: ArrayBuffer;
  /** Defaults to the file name's extension. */
  format?: string;
  thumbnail?: Blob;
  triangleCount?: number;
  dimensions?: [number, number, number];
  /** Computed from the bytes when not given. */
  contentHash?: string;
}

/** Metadata a view may change after import; bytes never change (add a new model instead). */
export type ModelUpdate = Partial<Pick<ModelSummary, 'name' | 'thumbnail' | 'triangleCount' | 'dimensions'>>;

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

export class ModelStore {
  constructor(
    private readonly db: () => SliceportDb,
    private readonly now: () => number,
  ) {}

  async add(model: NewModel): Promise<ModelSummary> {
    const at = this.now();
    const hash = model.contentHash ?? (await contentHash(new Uint8Array(model.bytes)));
    const record: ModelRecord = {
      id: newRecordId(),
      name: model.name,
      format: model.format ?? extensionOf(model.name),
      bytes: model.bytes,
      size: model.bytes.byteLength,
      addedAt: at,
      updatedAt: at,
      contentHash: hash,
      ...(model.thumbnail ? { thumbnail: model.thumbnail } : {}),
      ...(model.triangleCount !== undefined ? { triangleCount: model.triangleCount } : {}),
      ...(model.dimensions ? { dimensions: model.dimensions } : {}),
    };
    await this.put(record);
    const { bytes: _bytes, ...summary } = record;
    return summary;
  }

  /** Stores a whole record (metadata and bytes) as one write. */
  async put(record: ModelRecord): Promise<void> {
    const { bytes, ...summary } = record;
    await writeTransaction(
      this.db(),
      ['models', 'modelBytes'],
      async (tx) => {
        await issueRequests([
          () => tx.objectStore('models').put({ ...summary, size: bytes.byteLength }),
          () => tx.objectStore('modelBytes').put({ modelId: record.id, bytes }),
        ]);
      },
      `save model ${record.name}`,
    );
    announceChange({ store: 'models', kind: 'put', ids: [record.id] });
  }

  async get(id: string): Promise<ModelRecord | undefined> {
    return readTransaction(
      this.db(),
      ['models', 'modelBytes'],
      async (tx) => {
        const [summary, bytes] = await Promise.all([tx.objectStore('models').get(id), tx.objectStore('modelBytes').get(id)]);
        if (!summary) return undefined;
        if (!bytes) throw storageError('corrupt', `model ${id} has no bytes`);
        return { ...summary, bytes: bytes.bytes };
      },
      `read model ${id}`,
    );
  }

  async getSummary(id: string): Promise<ModelSummary | undefined> {
    return readTransaction(this.db(), ['models'], (tx) => tx.objectStore('models').get(id), `read model ${id}`);
  }

  /** Every model without its bytes, newest first. */
  async list(): Promise<ModelSummary[]> {
    const all = await readTransaction(
      this.db(),
      ['models'],
      (tx) => tx.objectStore('models').index('addedAt').getAll(),
      'list models',
    );
    return all.reverse();
  }

  /** Models whose bytes have this fingerprint (older records without one are never returned). */
  async withContentHash(hash: string): Promise<ModelSummary[]> {
    return readTransaction(
      this.db(),
      ['models'],
      (tx) => tx.objectStore('models').index('contentHash').getAll(hash),
      'find models by content',
    );
  }

  async update(id: string, change: ModelUpdate): Promise<ModelSummary> {
    const updated = await writeTransaction(
      this.db(),
      ['models'],
      async (tx) => {
        const store = tx.objectStore('models');
        const current = await store.get(id);
        if (!current) throw storageError('not-found', `model ${id}`);
        const next: ModelSummary = { ...current, ...change, id, updatedAt: this.now() };
        await store.put(next);
        return next;
      },
      `update model ${id}`,
    );
    announceChange({ store: 'models', kind: 'put', ids: [id] });
    return updated;
  }

  async delete(id: string): Promise<void> {
    await writeTransaction(
      this.db(),
      ['models', 'modelBytes'],
      async (tx) => {
        await issueRequests([() => tx.objectStore('models').delete(id), () => tx.objectStore('modelBytes').delete(id)]);
      },
      `delete model ${id}`,
    );
    announceChange({ store: 'models', kind: 'delete', ids: [id] });
  }
}
