import { describe, expect, it } from 'vitest';
import { StorageError, toStorageError } from './storage-error.js';

describe('storage errors', () => {
  it('turns browser exceptions into messages for a person, keeping the detail for the log', () => {
    const quota = toStorageError(new DOMException('Quota exceeded for origin', 'QuotaExceededError'), 'save cube.gcode');
    expect(quota).toBeInstanceOf(StorageError);
    expect(quota.kind).toBe('quota');
    expect(quota.message).toMatch(/not enough storage space.*Nothing was saved/);
    expect(quota.detail).toBe('save cube.gcode: QuotaExceededError: Quota exceeded for origin');

    expect(toStorageError(new DOMException('x', 'VersionError')).kind).toBe('version');
    expect(toStorageError(new DOMException('The database connection is closing.', 'InvalidStateError')).kind).toBe('closed');
    expect(toStorageError(new DOMException('x', 'SecurityError')).message).toContain('private browsing');
    expect(toStorageError('weird').kind).toBe('unknown');
    expect(toStorageError(new TypeError('boom')).detail).toBe('TypeError: boom');
  });

  it('passes a StorageError through unchanged', () => {
    const original = new StorageError('in-use', 'This file is being printed.', 'job j1');
    expect(toStorageError(original, 'delete')).toBe(original);
  });
});
