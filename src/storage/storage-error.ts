// Storage failures as values a person can read. The `message` is shown to the user as is; `detail` is
// for the log. Browsers report the same problem under different names, so everything funnels through
// `toStorageError` and views never look at DOMException names themselves.

export type StorageErrorKind =
  /** The origin's quota is used up; nothing of the write was kept. */
  | 'quota'
  /** A schema upgrade waits for another tab that still has the old version open. */
  | 'blocked'
  /** Another tab already runs a newer schema than this code knows. */
  | 'version'
  /** This connection was closed so another tab could upgrade. */
  | 'closed'
  /** IndexedDB cannot be used here (private mode, disabled storage, missing API). */
  | 'unavailable'
  | 'not-found'
  /** Stored bytes are missing or inconsistent. */
  | 'corrupt'
  /** The caller asked for something we refuse (e.g. a 200 MB file as one buffer). */
  | 'invalid'
  /** The file being stored could not be read (moved, changed or unreadable while we read it). */
  | 'source'
  /** The item is in use (a G-code file being printed). */
  | 'in-use'
  | 'unknown';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

const plainMessages: Record<StorageErrorKind, string> = {
  quota:
    'There is not enough storage space left on this computer for Sliceport. Nothing was saved. ' +
    'Delete models or G-code files you no longer need in the Library, then try again.',
  blocked:
    'Sliceport was updated, but another Sliceport tab or window still runs the old version. ' +
    'Close the other Sliceport tabs (after any print has finished) and this one will continue by itself.',
  version: 'Another tab already runs a newer version of Sliceport. Reload this tab to use it.',
  closed: 'Sliceport was updated in another tab. Reload this tab to continue.',
  unavailable:
    'This browser does not let Sliceport store files (private browsing, or site data is blocked). ' +
    'Allow site data for this page, or use a normal window.',
  'not-found': 'That item is no longer in the library. It may have been deleted in another tab.',
  corrupt: 'A stored file is incomplete and cannot be read. Delete it and add it again.',
  invalid: 'Sliceport could not do that with the stored data.',
  source:
    'The file could not be read (it may have been moved or changed while Sliceport read it). Nothing was saved.',
  'in-use': 'This file is being printed. Finish or cancel the print before deleting it.',
  unknown: 'Sliceport could not read or write its storage.',
};

export function storageError(kind: StorageErrorKind, detail?: string, message = plainMessages[kind]): StorageError {
  return new StorageError(kind, message, detail);
}

function nameOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') {
    return error.name;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return `${nameOf(error) ?? 'Error'}: ${String(error.message)}`;
  }
  return String(error);
}

/** Maps whatever IndexedDB threw (DOMException, idb rejection, our own error) to a StorageError. */
export function toStorageError(error: unknown, context?: string): StorageError {
  if (error instanceof StorageError) return error;
  const detail = context ? `${context}: ${describe(error)}` : describe(error);
  switch (nameOf(error)) {
    case 'QuotaExceededError':
      return storageError('quota', detail);
    case 'VersionError':
      return storageError('version', detail);
    case 'InvalidStateError':
      // Thrown when a transaction is started on a connection closed for an upgrade elsewhere.
      return storageError('closed', detail);
    case 'SecurityError':
    case 'UnknownError':
      return storageError('unavailable', detail);
    case 'NotFoundError':
      return storageError('corrupt', detail);
    default:
      return storageError('unknown', detail);
  }
}
