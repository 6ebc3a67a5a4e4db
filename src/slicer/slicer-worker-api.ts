// What the slicer worker offers the page over Comlink (workers/slicer.worker.ts implements it; the page
// uses it through SlicerClient, never directly).
import type { SliceOutcome, SliceProgress, SliceRequest } from './slice-api.js';

export interface SlicerWorkerApi {
  /** Compiles the engine and fetches the base definitions, so the first slice starts at once. */
  warmUp(): Promise<void>;
  /** Slices; progress at least twice a second while the engine works. The G-code buffer is transferred. */
  slice(request: SliceRequest, onProgress: (progress: SliceProgress) => void): Promise<SliceOutcome>;
}
