// The outcome of the last import that did not start in the Library view itself (files opened with
// Sliceport from the operating system). The Library view shows it when it appears, even if it was
// not loaded yet when the import finished.

import type { LibraryImport } from '../../storage/library-import.js';

export class ImportReport extends EventTarget {
  last: LibraryImport[] = [];

  publish(results: LibraryImport[]): void {
    this.last = results;
    this.dispatchEvent(new Event('change'));
  }

  /** Hands the report over once: the view that shows it clears it. */
  take(): LibraryImport[] {
    const results = this.last;
    this.last = [];
    return results;
  }
}

export const importReport = new ImportReport();
