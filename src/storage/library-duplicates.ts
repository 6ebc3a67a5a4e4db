// Finding a file that is already in the Library. Records since schema version 3 carry a fingerprint of
// their bytes, looked up by index; older ones are compared by name and size first and then byte by byte,
// so an identical file is found either way and a different file with the same name is not.

import type { SliceportStorage } from './sliceport-storage.js';

export interface LibraryDuplicate {
  kind: 'model' | 'gcode';
  id: string;
  name: string;
}

export interface IncomingFile {
  name: string;
  size: number;
  contentHash: string;
  /** The file's bytes, read again only when an older record has to be compared byte by byte. */
  chunks: () => AsyncIterable<Uint8Array>;
}

/** True when both streams hold the same bytes, however each is cut into chunks. */
export async function sameBytes(a: AsyncIterable<Uint8Array>, b: AsyncIterable<Uint8Array>): Promise<boolean> {
  const left = nonEmpty(a)[Symbol.asyncIterator]();
  const right = nonEmpty(b)[Symbol.asyncIterator]();
  let l: Uint8Array | null = new Uint8Array(0);
  let r: Uint8Array | null = new Uint8Array(0);
  for (;;) {
    if (l && l.length === 0) l = (await left.next()).value ?? null;
    if (r && r.length === 0) r = (await right.next()).value ?? null;
    if (!l || !r) return !l && !r;
    const n = Math.min(l.length, r.length);
    for (let i = 0; i < n; i++) if (l[i] !== r[i]) return false;
    l = l.subarray(n);
    r = r.subarray(n);
  }
}

async function* nonEmpty(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) if (chunk.length > 0) yield chunk;
}

async function* once(bytes: ArrayBuffer): AsyncIterable<Uint8Array> {
  yield new Uint8Array(bytes);
}

export async function findModelDuplicate(storage: SliceportStorage, file: IncomingFile): Promise<LibraryDuplicate | undefined> {
  const [hit] = await storage.models.withContentHash(file.contentHash);
  if (hit) return { kind: 'model', id: hit.id, name: hit.name };
  for (const old of await storage.models.list()) {
    if (old.contentHash !== undefined || old.size !== file.size || old.name !== file.name) continue;
    const record = await storage.models.get(old.id);
    if (record && (await sameBytes(once(record.bytes), file.chunks()))) return { kind: 'model', id: old.id, name: old.name };
  }
  return undefined;
}

export async function findGcodeDuplicate(storage: SliceportStorage, file: IncomingFile): Promise<LibraryDuplicate | undefined> {
  const [hit] = await storage.gcode.withContentHash(file.contentHash);
  if (hit) return { kind: 'gcode', id: hit.id, name: hit.name };
  for (const old of await storage.gcode.list()) {
    if (old.contentHash !== undefined || old.size !== file.size || old.name !== file.name) continue;
    if (await sameBytes(storage.gcode.chunks(old.id), file.chunks())) return { kind: 'gcode', id: old.id, name: old.name };
  }
  return undefined;
}
