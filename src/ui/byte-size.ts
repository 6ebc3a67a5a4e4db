// Sizes and dates the way a person reads them.

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB", 1 → "1 byte". Decimal units, as operating systems show file sizes. */
export function formatByteSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  if (bytes === 1) return '1 byte';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${units[unit]}`;
}

export function formatDateTime(epochMs: number, locale?: string): string {
  return new Date(epochMs).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
