import { describe, expect, it } from 'vitest';
import { formatByteSize } from './byte-size.js';

describe('byte sizes', () => {
  it('reads like a file manager', () => {
    expect(formatByteSize(0)).toBe('0 bytes');
    expect(formatByteSize(1)).toBe('1 byte');
    expect(formatByteSize(999)).toBe('999 bytes');
    expect(formatByteSize(1500)).toBe('1.5 KB');
    expect(formatByteSize(52_428_800)).toBe('52.4 MB');
    expect(formatByteSize(200_000_000)).toBe('200 MB');
    expect(formatByteSize(3_210_000_000)).toBe('3.21 GB');
    expect(formatByteSize(Number.NaN)).toBe('unknown');
  });
});
