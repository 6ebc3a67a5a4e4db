// How much Sliceport itself keeps: the sum of the stored model and G-code bytes, read from their
// records. The browser's own estimate (`navigator.storage.estimate()`) counts databases, caches and
// compaction slack and can swing by tens of megabytes for the same library, so it is only used for
// how much room is left.

import type { StorageQuota } from './storage-quota.js';

export interface LibraryUsage {
  modelCount: number;
  gcodeCount: number;
  /** Bytes of model and G-code files kept, as the user gave or sliced them. */
  storedBytes: number;
}

export interface SizedRecord {
  size: number;
}

export function libraryUsage(models: readonly SizedRecord[], gcode: readonly SizedRecord[]): LibraryUsage {
  const sum = (records: readonly SizedRecord[]) => records.reduce((total, r) => total + (Number.isFinite(r.size) && r.size > 0 ? r.size : 0), 0);
  return { modelCount: models.length, gcodeCount: gcode.length, storedBytes: sum(models) + sum(gcode) };
}

/** Room left for more files, by the browser's estimate; undefined when the browser does not say. */
export function availableBytes(quota: StorageQuota): number | undefined {
  if (quota.quota === undefined) return undefined;
  return Math.max(0, quota.quota - (quota.usage ?? 0));
}
