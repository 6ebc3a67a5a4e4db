// The contract between the page and the model worker. Geometry comes back as transferred Float32Arrays;
// files go in as Blobs (a reference, not a copy) or as transferred ArrayBuffers.
import type { ImportOutcome } from './model-types.js';

export type ThumbnailOutcome = { ok: true; png: Blob } | { ok: false; message: string };

export interface ModelWorkerApi {
  /** Reads and checks a file the user gave us (picker, drop, file handler). */
  importFile(file: Blob, fileName: string): Promise<ImportOutcome>;
  /** Same for bytes already in memory (a library record); the buffer is transferred. */
  importBytes(bytes: ArrayBuffer, fileName: string): Promise<ImportOutcome>;
  /** A square PNG picture of the model, rendered off-screen. */
  renderThumbnail(file: Blob, fileName: string, sizePx: number): Promise<ThumbnailOutcome>;
}
