// Model parsing and checks off the main thread, and off-screen thumbnails.
import * as Comlink from 'comlink';
import { fileTooBig, importModel } from '../src/models/import-model.js';
import type { ModelWorkerApi, ThumbnailOutcome } from '../src/models/model-api.js';
import type { ImportOutcome } from '../src/models/model-types.js';
import { renderModelThumbnail } from '../src/ui/library/model-thumbnail-scene.js';

function withTransfer(outcome: ImportOutcome): ImportOutcome {
  if (!outcome.ok) return outcome;
  return Comlink.transfer(
    outcome,
    outcome.model.parts.map((part) => part.positions.buffer as ArrayBuffer),
  );
}

const api: ModelWorkerApi = {
  async importFile(file, fileName) {
    // Refuse before reading: a multi-gigabyte file would take the worker down while loading.
    const tooBig = fileTooBig(file.size);
    if (tooBig) return { ok: false, error: tooBig };
    let bytes: ArrayBuffer;
    try {
      bytes = await file.arrayBuffer();
    } catch (error) {
      return { ok: false, error: { code: 'too-big', message: 'This file could not be read into memory. It may be too big or no longer available.', detail: String(error) } };
    }
    return withTransfer(importModel(new Uint8Array(bytes), fileName));
  },
  async importBytes(bytes, fileName) {
    return withTransfer(importModel(new Uint8Array(bytes), fileName));
  },
  async renderThumbnail(file, fileName, sizePx): Promise<ThumbnailOutcome> {
    const outcome = importModel(new Uint8Array(await file.arrayBuffer()), fileName);
    if (!outcome.ok) return { ok: false, message: outcome.error.message };
    try {
      return { ok: true, png: await renderModelThumbnail(outcome.model.parts.map((part) => part.positions), sizePx) };
    } catch (error) {
      return { ok: false, message: `No picture could be drawn: ${error instanceof Error ? error.message : String(error)}` };
    }
  },
};

Comlink.expose(api);
