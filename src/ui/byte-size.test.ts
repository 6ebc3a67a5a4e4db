import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatByteSize, formatDateTime } from './byte-size.js';

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

describe('dates', () => {
  it('reads as a medium date with the time, without seconds', () => {
    const at = Date.UTC(2026, 2, 5, 14, 7, 33);
    const text = formatDateTime(at, 'en-GB');
    expect(text).toBe(new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }));
    expect(text).toContain('2026');
    expect(text).not.toContain(':33');
  });

  it('is the one date format the views use', () => {
    const root = fileURLToPath(new URL('.', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'byte-size.ts') {
          // A date shown to a person goes through formatDateTime, so Library and History read alike.
          if (/new Date\([^)]*\)\.toLocale(Date)?String\(/.test(readFileSync(path, 'utf8'))) offenders.push(path.slice(root.length));
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
