// The page's one storage connection, opened on first use and shared by every view. Problems the user
// must act on (another tab blocks an upgrade, this tab must reload) are announced on `window` as
// `sp-storage-problem` events, which the shell shows as a banner.

import { libraryUsage, type LibraryUsage } from '../storage/library-usage.js';
import { openSliceportStorage, type SliceportStorage } from '../storage/sliceport-storage.js';
import type { StorageError } from '../storage/storage-error.js';

export const STORAGE_PROBLEM_EVENT = 'sp-storage-problem';

let opening: Promise<SliceportStorage> | undefined;

function announce(error: StorageError | null): void {
  window.dispatchEvent(new CustomEvent<StorageError | null>(STORAGE_PROBLEM_EVENT, { detail: error }));
}

export function appStorage(): Promise<SliceportStorage> {
  opening ??= openSliceportStorage({
    onBlocked: (error) => announce(error),
    onClosed: (error) => {
      opening = undefined;
      announce(error);
    },
  }).then(
    (storage) => {
      announce(null);
      return storage;
    },
    (error: unknown) => {
      opening = undefined;
      throw error;
    },
  );
  return opening;
}

/** Our own count of what the library holds; undefined when storage cannot be opened. */
export async function readLibraryUsage(): Promise<LibraryUsage | undefined> {
  try {
    const storage = await appStorage();
    const [models, gcode] = await Promise.all([storage.models.list(), storage.gcode.list()]);
    return libraryUsage(models, gcode);
  } catch {
    return undefined;
  }
}
