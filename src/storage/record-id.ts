// Record ids: random UUIDs, available on the page, in workers and in Node alike.
export function newRecordId(): string {
  return globalThis.crypto.randomUUID();
}
