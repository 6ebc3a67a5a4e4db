// Putting files the user opened (file picker, drag and drop, "Open with Sliceport") into the library:
// models whole, G-code streamed into chunks. Each file is its own write, so one bad file does not
// lose the others.

import { blobChunks, checkGcodeFile, type GcodeFileCheck } from '../gcode/gcode-file-check.js';
import { describeForeignFile } from '../models/model-format.js';
import { ContentHasher, contentHash } from './content-hash.js';
import { findGcodeDuplicate, findModelDuplicate, type LibraryDuplicate } from './library-duplicates.js';
import { extensionOf } from './model-store.js';
import type { SliceportStorage } from './sliceport-storage.js';
import { StorageError, storageError, toStorageError } from './storage-error.js';

export const MODEL_EXTENSIONS = ['stl', 'obj', '3mf'] as const;
export const GCODE_EXTENSIONS = ['gcode', 'gco', 'g'] as const;
/** For `<input type=file accept>` and the manifest's file handlers. */
export const LIBRARY_ACCEPT = [...MODEL_EXTENSIONS, ...GCODE_EXTENSIONS].map((ext) => `.${ext}`).join(',');

export type LibraryKind = 'model' | 'gcode';

export function libraryKindOf(fileName: string): LibraryKind | undefined {
  const ext = extensionOf(fileName);
  if ((MODEL_EXTENSIONS as readonly string[]).includes(ext)) return 'model';
  if ((GCODE_EXTENSIONS as readonly string[]).includes(ext)) return 'gcode';
  return undefined;
}

export interface LibraryFile {
  name: string;
  blob: Blob;
}

export type LibraryImport =
  | { ok: true; kind: LibraryKind; id: string; name: string }
  | {
      ok: false;
      name: string;
      error: StorageError;
      /** Set when nothing was wrong with the file but the Library already holds the same bytes. */
      duplicate?: LibraryDuplicate;
    };

export interface LibraryImportOptions {
  /** Store the file even when the Library already holds an identical one ("Add a copy anyway"). */
  allowDuplicate?: boolean;
}

function alreadyThere(file: LibraryFile, duplicate: LibraryDuplicate): LibraryImport {
  const same = duplicate.name === file.name ? '' : ` as “${duplicate.name}”`;
  return {
    ok: false,
    name: file.name,
    duplicate,
    error: storageError('invalid', `duplicate of ${duplicate.id}`, `${file.name} is already in the Library${same}: it is the same file.`),
  };
}

export async function importLibraryFile(
  storage: SliceportStorage,
  file: LibraryFile,
  options: LibraryImportOptions = {},
): Promise<LibraryImport> {
  const kind = libraryKindOf(file.name);
  if (!kind) {
    return {
      ok: false,
      name: file.name,
      error: storageError(
        'invalid',
        `unsupported extension of ${file.name}`,
        `${file.name} is not a file Sliceport can use. It takes models (.stl, .obj, .3mf) and G-code (.gcode, .gco, .g).`,
      ),
    };
  }
  try {
    if (kind === 'model') {
      let bytes: ArrayBuffer;
      try {
        bytes = await file.blob.arrayBuffer();
      } catch (error) {
        throw storageError('source', `read ${file.name}: ${String(error)}`);
      }
      const foreign = bytes.byteLength === 0 ? { message: 'This file is empty: it has no content at all.' } : describeForeignFile(new Uint8Array(bytes));
      if (foreign) return { ok: false, name: file.name, error: storageError('invalid', `refused ${file.name}`, `${file.name}: ${foreign.message}`) };
      const hash = await contentHash(new Uint8Array(bytes));
      if (!options.allowDuplicate) {
        const duplicate = await findModelDuplicate(storage, { name: file.name, size: bytes.byteLength, contentHash: hash, chunks: () => blobChunks(file.blob) });
        if (duplicate) return alreadyThere(file, duplicate);
      }
      const model = await storage.models.add({ name: file.name, bytes, contentHash: hash });
      return { ok: true, kind, id: model.id, name: file.name };
    }
    let check: GcodeFileCheck;
    const hasher = new ContentHasher();
    try {
      check = await checkGcodeFile(file.name, hashing(blobChunks(file.blob), hasher));
    } catch (error) {
      throw storageError('source', `read ${file.name}: ${String(error)}`);
    }
    if (!check.ok) return { ok: false, name: file.name, error: storageError('invalid', `refused ${file.name}`, check.message) };
    const hash = await hasher.digest();
    if (!options.allowDuplicate) {
      const duplicate = await findGcodeDuplicate(storage, { name: file.name, size: file.blob.size, contentHash: hash, chunks: () => blobChunks(file.blob) });
      if (duplicate) return alreadyThere(file, duplicate);
    }
    const gcode = await storage.gcode.add({ name: file.name, source: 'file', contentHash: hash }, file.blob);
    return { ok: true, kind, id: gcode.id, name: file.name };
  } catch (error) {
    return { ok: false, name: file.name, error: toStorageError(error, `import ${file.name}`) };
  }
}

/** Passes chunks through, fingerprinting them on the way, so the file is read once for both. */
async function* hashing(chunks: AsyncIterable<Uint8Array>, hasher: ContentHasher): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    hasher.update(chunk);
    yield chunk;
  }
}

/** Imports files one after another (never two big ones in memory at once). */
export async function importLibraryFiles(storage: SliceportStorage, files: Iterable<LibraryFile>): Promise<LibraryImport[]> {
  const results: LibraryImport[] = [];
  for (const file of files) results.push(await importLibraryFile(storage, file));
  return results;
}
