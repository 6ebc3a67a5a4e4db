// Opening the database: schema upgrades, the "another tab holds an old version" cases, and the
// clean-up of writes a crash left behind. Works the same on the page and inside workers.

import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { DB_NAME, SCHEMA_VERSION, upgradeSchema, type SliceportSchema, type SliceportStoreName } from './schema.js';
import { StorageError, storageError, toStorageError } from './storage-error.js';

export type SliceportDb = IDBPDatabase<SliceportSchema>;

export interface OpenOptions {
  /** Database name; tests use one per case. */
  name?: string;
  /** Schema version to open. Only tests ask for an older one, to exercise upgrades. */
  version?: number;
  /** IndexedDB to use; defaults to the global one (page or worker). */
  factory?: IDBFactory;
  /** Another tab holds an older version open: the open waits, the user should be told. */
  onBlocked?: (error: StorageError) => void;
  /**
   * Another tab wants to upgrade the schema. Return false to keep this connection open for now (the
   * printer worker does while a job runs: a print outlives an upgrade prompt). By default the
   * connection closes and `onClosed` tells the user to reload.
   */
  onVersionChange?: () => boolean;
  /** The connection was closed for an upgrade or by the browser; further use fails with `closed`. */
  onClosed?: (error: StorageError) => void;
  /** Delete what unfinished writes left behind (default true); tests turn it off to see the raw state. */
  cleanUp?: boolean;
  /** How old an unfinished streamed G-code write must be before an open deletes its chunks. */
  staleWriteMs?: number;
  /** Clock, for tests of the clean-up. */
  now?: () => number;
}

const TEN_MINUTES = 10 * 60 * 1000;

export async function openSliceportDb(options: OpenOptions = {}): Promise<SliceportDb> {
  const factory = options.factory ?? globalThis.indexedDB;
  if (!factory) throw storageError('unavailable', 'indexedDB is not defined in this context');
  const version = options.version ?? SCHEMA_VERSION;

  let request: IDBOpenDBRequest;
  try {
    request = factory.open(options.name ?? DB_NAME, version);
  } catch (error) {
    throw toStorageError(error, 'open');
  }
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as SliceportDb;
    const tx = wrap(request.transaction!) as unknown as IDBPTransaction<SliceportSchema, SliceportStoreName[], 'versionchange'>;
    upgradeSchema(db, event.oldVersion, event.newVersion ?? version, tx).catch((error: unknown) => {
      // A failed migration must not leave a half-upgraded database: abort, the old version stays.
      console.error('Sliceport storage upgrade failed', error);
      try {
        tx.abort();
      } catch {
        // Already finished or aborted.
      }
    });
  });
  request.addEventListener('blocked', (event) => {
    options.onBlocked?.(
      storageError('blocked', `open version ${version} blocked by version ${event.oldVersion} in another context`),
    );
  });

  let db: SliceportDb;
  try {
    db = (await wrap(request)) as unknown as SliceportDb;
  } catch (error) {
    throw toStorageError(request.error ?? error, 'open');
  }

  db.addEventListener('versionchange', (event) => {
    const keepOpen = options.onVersionChange ? !options.onVersionChange() : false;
    if (keepOpen) return;
    db.close();
    options.onClosed?.(storageError('closed', `closed for an upgrade to version ${event.newVersion}`));
  });
  db.addEventListener('close', () => {
    options.onClosed?.(
      storageError(
        'closed',
        'the browser closed the database connection',
        'Sliceport lost access to its storage (the browser closed it). Reload this tab to continue.',
      ),
    );
  });

  if (options.cleanUp !== false) {
    await removeUnfinishedWrites(db, options.staleWriteMs ?? TEN_MINUTES, options.now ?? Date.now).catch((error: unknown) => {
      // Clean-up is housekeeping: failing it must not keep the app from opening.
      console.warn('Sliceport storage clean-up failed', error);
    });
  }
  return db;
}

/**
 * Deletes chunks that no G-code record owns: streamed writes that crashed before their metadata was
 * made visible, and deletions interrupted half-way in older versions. A write still in progress in
 * another tab or worker is spared while its `touchedAt` is recent.
 */
export async function removeUnfinishedWrites(db: SliceportDb, staleWriteMs: number, now: () => number): Promise<number> {
  const hasModelBytes = db.objectStoreNames.contains('modelBytes');
  const stores: SliceportStoreName[] = ['gcode', 'gcodeChunks', 'gcodeWrites', 'models'];
  if (hasModelBytes) stores.push('modelBytes');
  const tx = db.transaction(stores, 'readwrite');
  tx.done.catch(() => undefined);
  const owned = new Set<string>(await tx.objectStore('gcode').getAllKeys());
  const writes = tx.objectStore('gcodeWrites');
  for (const write of await writes.getAll()) {
    if (now() - write.touchedAt < staleWriteMs) owned.add(write.gcodeId);
    else await writes.delete(write.gcodeId);
  }

  const chunks = tx.objectStore('gcodeChunks');
  const orphans: string[] = [];
  // One step per G-code id: after reading [id, n], jump past every chunk of that id.
  let cursor = await chunks.openKeyCursor();
  while (cursor) {
    const [gcodeId] = cursor.key;
    if (!owned.has(gcodeId)) orphans.push(gcodeId);
    cursor = await cursor.continue([gcodeId, Infinity]);
  }
  for (const gcodeId of orphans) await chunks.delete(IDBKeyRange.bound([gcodeId, 0], [gcodeId, Infinity]));

  let removed = orphans.length;
  if (hasModelBytes) {
    const modelIds = new Set<string>(await tx.objectStore('models').getAllKeys());
    const bytes = tx.objectStore('modelBytes');
    for (const modelId of await bytes.getAllKeys()) {
      if (!modelIds.has(modelId)) {
        await bytes.delete(modelId);
        removed += 1;
      }
    }
  }
  await tx.done;
  return removed;
}

/**
 * Runs one logical write in one transaction: either all of it is stored or none of it. Any failure
 * aborts the transaction (rolling back requests already made) and becomes a StorageError.
 */
export async function writeTransaction<Names extends SliceportStoreName[], Result>(
  db: SliceportDb,
  stores: Names,
  work: (tx: IDBPTransaction<SliceportSchema, Names, 'readwrite'>) => Promise<Result>,
  context: string,
): Promise<Result> {
  let tx: IDBPTransaction<SliceportSchema, Names, 'readwrite'>;
  try {
    tx = db.transaction(stores, 'readwrite');
  } catch (error) {
    throw toStorageError(error, context);
  }
  tx.done.catch(() => undefined);
  try {
    const result = await work(tx);
    await tx.done;
    return result;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // The transaction already ended (it aborted itself, e.g. on quota).
    }
    throw toStorageError(abortReason(tx) ?? error, context);
  }
}

export async function readTransaction<Names extends SliceportStoreName[], Result>(
  db: SliceportDb,
  stores: Names,
  work: (tx: IDBPTransaction<SliceportSchema, Names, 'readonly'>) => Promise<Result>,
  context: string,
): Promise<Result> {
  try {
    const tx = db.transaction(stores, 'readonly');
    tx.done.catch(() => undefined);
    const result = await work(tx);
    return result;
  } catch (error) {
    throw toStorageError(error, context);
  }
}

/** Why the browser aborted a transaction (e.g. QuotaExceededError at commit), when it did. */
function abortReason(tx: { error: DOMException | null }): DOMException | undefined {
  try {
    return tx.error ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Issues several requests of one transaction and waits for all. If issuing one throws at once (as a
 * full disk does), the ones already issued are rejected by the abort; they are marked handled here so
 * the failure surfaces once, as the caller's error.
 */
export async function issueRequests(requests: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  const issued: Promise<unknown>[] = [];
  for (const request of requests) {
    const pending = request();
    pending.catch(() => undefined);
    issued.push(pending);
  }
  await Promise.all(issued);
}
