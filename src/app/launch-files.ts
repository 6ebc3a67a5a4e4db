// "Open with Sliceport": files the operating system hands us through the manifest's `file_handlers`
// arrive in `window.launchQueue`. They go into the library (models whole, G-code in chunks) and the
// Library view opens with them highlighted.

import { importLibraryFiles, type LibraryFile, type LibraryImport } from '../storage/library-import.js';
import { toStorageError } from '../storage/storage-error.js';
import { importReport } from '../ui/library/import-report.js';
import { appStorage } from './app-storage.js';
import { routeHref } from './hash-router.js';

/** The parts of the File Handling API we use (not yet in TypeScript's DOM types). */
interface LaunchParams {
  readonly files: ReadonlyArray<{ kind: string; getFile?: () => Promise<File> }>;
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void | Promise<void>): void;
}

export async function importLaunchedFiles(params: LaunchParams): Promise<void> {
  const files: LibraryFile[] = [];
  for (const handle of params.files ?? []) {
    if (handle.kind !== 'file' || !handle.getFile) continue;
    const file = await handle.getFile();
    files.push({ name: file.name, blob: file });
  }
  if (files.length === 0) return;
  let results: LibraryImport[];
  try {
    results = await importLibraryFiles(await appStorage(), files);
  } catch (error) {
    const reason = toStorageError(error, 'open storage for launched files');
    results = files.map((file) => ({ ok: false, name: file.name, error: reason }));
  }
  importReport.publish(results);
  const ids = results.flatMap((result) => (result.ok ? [result.id] : []));
  window.location.hash = routeHref('library', ids.length ? { highlight: ids.join(',') } : {});
}

export function listenForLaunchedFiles(): void {
  const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
  queue?.setConsumer((params) =>
    importLaunchedFiles(params).catch((error: unknown) => {
      console.warn('Opening files with Sliceport failed', error);
    }),
  );
}
