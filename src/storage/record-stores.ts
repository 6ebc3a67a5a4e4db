// The small record stores: printer profiles, slicing profiles, print jobs and app settings. Each write
// is one record in one transaction, announced to other tabs and workers once committed.

import { readTransaction, writeTransaction, type SliceportDb } from './connection.js';
import { announceChange } from './storage-changes.js';
import type { JobRecord, PrinterProfileRecord, SlicingProfileRecord } from './records.js';

type KeyedStoreName = 'printerProfiles' | 'slicingProfiles' | 'jobs';
type RecordOf<Name extends KeyedStoreName> = Name extends 'printerProfiles'
  ? PrinterProfileRecord
  : Name extends 'slicingProfiles'
    ? SlicingProfileRecord
    : JobRecord;

class KeyedStore<Name extends KeyedStoreName> {
  constructor(
    protected readonly db: () => SliceportDb,
    protected readonly storeName: Name,
    private readonly label: string,
  ) {}

  async get(id: string): Promise<RecordOf<Name> | undefined> {
    return readTransaction(
      this.db(),
      [this.storeName],
      (tx) => tx.objectStore(this.storeName).get(id) as Promise<RecordOf<Name> | undefined>,
      `read ${this.label} ${id}`,
    );
  }

  async list(): Promise<RecordOf<Name>[]> {
    return readTransaction(
      this.db(),
      [this.storeName],
      (tx) => tx.objectStore(this.storeName).getAll() as Promise<RecordOf<Name>[]>,
      `list ${this.label}s`,
    );
  }

  async put(record: RecordOf<Name>): Promise<void> {
    await writeTransaction(
      this.db(),
      [this.storeName],
      async (tx) => {
        await tx.objectStore(this.storeName).put(record);
      },
      `save ${this.label} ${record.id}`,
    );
    announceChange({ store: this.storeName, kind: 'put', ids: [record.id] });
  }

  async delete(id: string): Promise<void> {
    await writeTransaction(
      this.db(),
      [this.storeName],
      async (tx) => {
        await tx.objectStore(this.storeName).delete(id);
      },
      `delete ${this.label} ${id}`,
    );
    announceChange({ store: this.storeName, kind: 'delete', ids: [id] });
  }
}

export class PrinterProfileStore extends KeyedStore<'printerProfiles'> {
  constructor(db: () => SliceportDb) {
    super(db, 'printerProfiles', 'printer profile');
  }
}

export class SlicingProfileStore extends KeyedStore<'slicingProfiles'> {
  constructor(db: () => SliceportDb) {
    super(db, 'slicingProfiles', 'slicing profile');
  }

  async listForPrinter(printerId: string): Promise<SlicingProfileRecord[]> {
    return readTransaction(
      this.db(),
      ['slicingProfiles'],
      (tx) => tx.objectStore('slicingProfiles').index('printerId').getAll(printerId),
      `list slicing profiles of ${printerId}`,
    );
  }
}

export class JobStore extends KeyedStore<'jobs'> {
  constructor(db: () => SliceportDb) {
    super(db, 'jobs', 'print job');
  }

  /** Print history, most recent first. */
  override async list(): Promise<JobRecord[]> {
    const all = await readTransaction(
      this.db(),
      ['jobs'],
      (tx) => tx.objectStore('jobs').index('startedAt').getAll(),
      'list print jobs',
    );
    return all.reverse();
  }

  async listForGcode(gcodeId: string): Promise<JobRecord[]> {
    return readTransaction(
      this.db(),
      ['jobs'],
      (tx) => tx.objectStore('jobs').index('gcodeId').getAll(gcodeId),
      `list print jobs of ${gcodeId}`,
    );
  }
}

/** App settings as key → value. Values must survive a structured clone (plain data, Blobs). */
export class SettingsStore {
  constructor(private readonly db: () => SliceportDb) {}

  async get<Value>(key: string, fallback: Value): Promise<Value> {
    const record = await readTransaction(this.db(), ['settings'], (tx) => tx.objectStore('settings').get(key), `read setting ${key}`);
    return record ? (record.value as Value) : fallback;
  }

  async set(key: string, value: unknown): Promise<void> {
    await writeTransaction(
      this.db(),
      ['settings'],
      async (tx) => {
        await tx.objectStore('settings').put({ key, value });
      },
      `save setting ${key}`,
    );
    announceChange({ store: 'settings', kind: 'put', ids: [key] });
  }

  async delete(key: string): Promise<void> {
    await writeTransaction(
      this.db(),
      ['settings'],
      async (tx) => {
        await tx.objectStore('settings').delete(key);
      },
      `delete setting ${key}`,
    );
    announceChange({ store: 'settings', kind: 'delete', ids: [key] });
  }

  async all(): Promise<Record<string, unknown>> {
    const records = await readTransaction(this.db(), ['settings'], (tx) => tx.objectStore('settings').getAll(), 'read settings');
    return Object.fromEntries(records.map((record) => [record.key, record.value]));
  }
}
