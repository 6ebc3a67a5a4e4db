// Putting files the user opened (file picker, drag and drop, "Open with Sliceport") into the library:
// models whole, G-code streamed into chunks. Each file is its own write, so one bad file does not
// lose the others.

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
  | { ok: false; name: string; error: StorageError };

export async function importLibraryFile(storage: SliceportStorage, file: LibraryFile): Promise<LibraryImport> {
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
      const model = await storage.models.add({ name: file.name, bytes });
      return { ok: true, kind, id: model.id, name: file.name };
    }
    const gcode = await storage.gcode.add({ name: file.name, source: 'file' }, file.blob);
    return { ok: true, kind, id: gcode.id, name: file.name };
  } catch (error) {
    return { ok: false, name: file.name, error: toStorageError(error, `import ${file.name}`) };
  }
}

/** Imports files one after another (never two big ones in memory at once). */
export async function importLibraryFiles(storage: SliceportStorage, files: Iterable<LibraryFile>): Promise<LibraryImport[]> {
  const results: LibraryImport[] = [];
  for (const file of files) results.push(await importLibraryFile(storage, file));
  return results;
}
