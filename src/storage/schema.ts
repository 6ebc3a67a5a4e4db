// The IndexedDB schema and its upgrades. Every version is an explicit step from the one before, so a
// browser that last ran any earlier version of Sliceport upgrades in order and keeps its data.
//
// Version 1: one store per record type; model bytes inline in `models`.
// Version 2: model bytes move to `modelBytes`, so listing the library never loads every model into
//            memory; indexes for the orders the views ask for (newest first, jobs per file, profiles per
//            printer).
// Version 3: an index on the models' and G-code files' content fingerprint, to find a file added twice.
//            Older records have no fingerprint and are simply not in the index.

import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type {
  GcodeChunkRecord,
  GcodeRecord,
  JobRecord,
  ModelSummary,
  PrinterProfileRecord,
  SettingRecord,
  SlicingProfileRecord,
} from './records.js';

export const DB_NAME = 'sliceport';
export const SCHEMA_VERSION = 3;

export interface ModelBytesRecord {
  modelId: string;
  bytes: ArrayBuffer;
}

/**
 * A G-code file being written in several transactions (a stream too big for one). Its chunks exist but
 * its metadata does not yet; `touchedAt` moves with every batch so a crashed write can be told apart
 * from a slow one and cleaned up at the next open.
 */
export interface GcodeWriteRecord {
  gcodeId: string;
  startedAt: number;
  touchedAt: number;
}

export interface SliceportSchema extends DBSchema {
  models: { key: string; value: ModelSummary; indexes: { addedAt: number; contentHash: string } };
  modelBytes: { key: string; value: ModelBytesRecord };
  gcode: { key: string; value: GcodeRecord; indexes: { addedAt: number; contentHash: string } };
  gcodeChunks: { key: [string, number]; value: GcodeChunkRecord };
  gcodeWrites: { key: string; value: GcodeWriteRecord };
  printerProfiles: { key: string; value: PrinterProfileRecord };
  slicingProfiles: { key: string; value: SlicingProfileRecord; indexes: { printerId: string } };
  jobs: { key: string; value: JobRecord; indexes: { startedAt: number; gcodeId: string } };
  settings: { key: string; value: SettingRecord };
}

export type SliceportStoreName = StoreNames<SliceportSchema>;

type UpgradeTransaction = IDBPTransaction<SliceportSchema, SliceportStoreName[], 'versionchange'>;
type UpgradeStep = (db: IDBPDatabase<SliceportSchema>, tx: UpgradeTransaction) => Promise<void> | void;

/** A version 1 model record: metadata and bytes together. */
type ModelRecordV1 = ModelSummary & { bytes?: ArrayBuffer };

const toVersion1: UpgradeStep = (db) => {
  db.createObjectStore('models', { keyPath: 'id' });
  db.createObjectStore('gcode', { keyPath: 'id' });
  db.createObjectStore('gcodeChunks', { keyPath: ['gcodeId', 'index'] });
  db.createObjectStore('gcodeWrites', { keyPath: 'gcodeId' });
  db.createObjectStore('printerProfiles', { keyPath: 'id' });
  db.createObjectStore('slicingProfiles', { keyPath: 'id' });
  db.createObjectStore('jobs', { keyPath: 'id' });
  db.createObjectStore('settings', { keyPath: 'key' });
};

const toVersion2: UpgradeStep = async (db, tx) => {
  db.createObjectStore('modelBytes', { keyPath: 'modelId' });
  tx.objectStore('models').createIndex('addedAt', 'addedAt');
  tx.objectStore('gcode').createIndex('addedAt', 'addedAt');
  tx.objectStore('jobs').createIndex('startedAt', 'startedAt');
  tx.objectStore('jobs').createIndex('gcodeId', 'gcodeId');
  tx.objectStore('slicingProfiles').createIndex('printerId', 'printerId');

  // Split model bytes out, one record at a time so a large library is never in memory at once.
  const models = tx.objectStore('models');
  const bytesStore = tx.objectStore('modelBytes');
  for (let cursor = await models.openCursor(); cursor; cursor = await cursor.continue()) {
    const { bytes, ...summary } = cursor.value as ModelRecordV1;
    if (bytes) {
      await bytesStore.put({ modelId: summary.id, bytes });
      await cursor.update(summary);
    }
  }
};

const toVersion3: UpgradeStep = (_db, tx) => {
  tx.objectStore('models').createIndex('contentHash', 'contentHash');
  tx.objectStore('gcode').createIndex('contentHash', 'contentHash');
};

/** Upgrade steps by the version they produce. Index 0 is unused: version numbers start at 1. */
const steps: UpgradeStep[] = [() => undefined, toVersion1, toVersion2, toVersion3];

/**
 * Runs every step after `oldVersion` up to `newVersion`. Returns a promise the caller must not drop:
 * an async step (a data migration) fails the upgrade transaction if it throws.
 */
export async function upgradeSchema(
  db: IDBPDatabase<SliceportSchema>,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTransaction,
): Promise<void> {
  for (let version = oldVersion + 1; version <= newVersion; version += 1) {
    const step = steps[version];
    if (!step) throw new Error(`No schema step to version ${version}`);
    await step(db, tx);
  }
}
