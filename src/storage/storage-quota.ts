// How much the browser lets Sliceport keep, and whether it may evict it. `persist()` exists on the page
// only (not in workers); everything degrades to "unknown" where the API is missing.

export interface StorageQuota {
  /** Bytes used by this origin, when the browser says. */
  usage?: number;
  /** Bytes this origin may use, when the browser says. */
  quota?: number;
  /** True when the browser promised not to evict our data under storage pressure. */
  persisted?: boolean;
}

interface StorageManagerLike {
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  persisted?: () => Promise<boolean>;
  persist?: () => Promise<boolean>;
}

function manager(): StorageManagerLike | undefined {
  return (globalThis.navigator as { storage?: StorageManagerLike } | undefined)?.storage;
}

export async function readStorageQuota(storage: StorageManagerLike | undefined = manager()): Promise<StorageQuota> {
  const result: StorageQuota = {};
  try {
    const estimate = await storage?.estimate?.();
    if (estimate?.usage !== undefined) result.usage = estimate.usage;
    if (estimate?.quota !== undefined) result.quota = estimate.quota;
  } catch {
    // Some browsers throw in private windows; the view then says "unknown".
  }
  try {
    const persisted = await storage?.persisted?.();
    if (persisted !== undefined) result.persisted = persisted;
  } catch {
    // As above.
  }
  return result;
}

/** Asks the browser to keep our data under storage pressure. Resolves to the answer, or undefined. */
export async function requestPersistentStorage(storage: StorageManagerLike | undefined = manager()): Promise<boolean | undefined> {
  try {
    if (await storage?.persisted?.()) return true;
    return await storage?.persist?.();
  } catch {
    return undefined;
  }
}
