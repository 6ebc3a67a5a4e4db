// The one entry point to Sliceport's storage, for the page and for workers alike:
//
//   const storage = await openSliceportStorage();
//   const file = await storage.gcode.add({ name: 'cube.gcode', source: 'slicer' }, bytes);
//   for await (const chunk of storage.gcode.chunks(file.id)) …
//
// Every method either does all of its write or none of it, and fails with a StorageError whose
// `message` can be shown to the user as is.

import { openSliceportDb, type OpenOptions, type SliceportDb } from './connection.js';
import { GcodeStore } from './gcode-store.js';
import { ModelStore } from './model-store.js';
import { JobStore, PrinterProfileStore, SettingsStore, SlicingProfileStore } from './record-stores.js';
import { storageError } from './storage-error.js';

export class SliceportStorage {
  readonly models: ModelStore;
  readonly gcode: GcodeStore;
  readonly printerProfiles: PrinterProfileStore;
  readonly slicingProfiles: SlicingProfileStore;
  readonly jobs: JobStore;
  readonly settings: SettingsStore;
  private open = true;

  constructor(
    private readonly db: SliceportDb,
    now: () => number = Date.now,
  ) {
    const connection = () => {
      if (!this.open) throw storageError('closed', 'storage used after close');
      return this.db;
    };
    this.models = new ModelStore(connection, now);
    this.gcode = new GcodeStore(connection, now);
    this.printerProfiles = new PrinterProfileStore(connection);
    this.slicingProfiles = new SlicingProfileStore(connection);
    this.jobs = new JobStore(connection);
    this.settings = new SettingsStore(connection);
  }

  get version(): number {
    return this.db.version;
  }

  /** Marks this storage closed; used when another tab upgrades the schema. */
  markClosed(): void {
    this.open = false;
  }

  close(): void {
    this.open = false;
    this.db.close();
  }
}

export async function openSliceportStorage(options: OpenOptions = {}): Promise<SliceportStorage> {
  let storage: SliceportStorage | undefined;
  const db = await openSliceportDb({
    ...options,
    onClosed: (error) => {
      storage?.markClosed();
      options.onClosed?.(error);
    },
  });
  storage = new SliceportStorage(db, options.now);
  return storage;
}

export { StorageError } from './storage-error.js';
export type { StorageErrorKind } from './storage-error.js';
export type { GcodeSource, NewGcode, GcodeUpdate } from './gcode-store.js';
export type { NewModel, ModelUpdate } from './model-store.js';
export { GCODE_CHUNK_BYTES } from './gcode-store.js';
