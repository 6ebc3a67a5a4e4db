import { describe, expect, it } from 'vitest';
import { readStorageQuota, requestPersistentStorage } from './storage-quota.js';

describe('storage quota and persistence', () => {
  it('reports usage, quota and persistence as the browser gives them', async () => {
    const manager = {
      estimate: async () => ({ usage: 1234, quota: 10_000_000 }),
      persisted: async () => false,
    };
    expect(await readStorageQuota(manager)).toEqual({ usage: 1234, quota: 10_000_000, persisted: false });
  });

  it('says nothing it does not know (missing API, private window that throws)', async () => {
    expect(await readStorageQuota(undefined)).toEqual({});
    const throwing = {
      estimate: async () => {
        throw new DOMException('no', 'SecurityError');
      },
      persisted: async () => true,
    };
    expect(await readStorageQuota(throwing)).toEqual({ persisted: true });
  });

  it('asks for persistence once, and not again when already granted', async () => {
    let asked = 0;
    const manager = {
      persisted: async () => false,
      persist: async () => {
        asked += 1;
        return true;
      },
    };
    expect(await requestPersistentStorage(manager)).toBe(true);
    expect(asked).toBe(1);
    expect(await requestPersistentStorage({ ...manager, persisted: async () => true })).toBe(true);
    expect(asked).toBe(1);
    // In a worker there is no persist(): the answer is unknown, not an error.
    expect(await requestPersistentStorage({ persisted: async () => false })).toBeUndefined();
  });
});
