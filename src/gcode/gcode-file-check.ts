// Whether a file given to the Library as G-code really is printable G-code, checked before it is
// stored: a picture or model named `.gcode` is named for what it is, an empty file or one with only
// comments is refused, and the content checks the printer runs before every job (lines Marlin would
// cut, bytes a printer cannot receive) run here too, so a file that would be refused at print time is
// refused when it is added. Temperature limits belong to a printer and are checked when printing.

import { describeFileKind, isMostlyText, sniffFileKind } from '../models/file-signature.js';
import { JobPreflight, describePreflight, type PreflightResult } from '../printer/engine/job-preflight.js';

export type GcodeFileCheck = { ok: true; preflight: PreflightResult } | { ok: false; message: string };

/** How much of the start of a file is looked at to tell what it is. */
const SNIFF_BYTES = 64 * 1024;

/** No printer's limit: temperatures are checked against the printer's own when the job starts. */
const NO_TEMPERATURE_LIMITS = { maxHotendTemp: Number.POSITIVE_INFINITY, maxBedTemp: Number.POSITIVE_INFINITY };

function notGcode(fileName: string, head: Uint8Array): string | null {
  const kind = sniffFileKind(head);
  if (kind === 'stl' || kind === 'obj' || kind === '3mf') {
    return `${fileName} is ${describeFileKind(kind)}, not G-code. Give it a .${kind} name to add it as a model, then slice it in Prepare.`;
  }
  if (kind && kind !== 'gcode') return `${fileName} is ${describeFileKind(kind)}, not G-code, so it cannot be printed.`;
  if (!isMostlyText(head)) return `${fileName} is not G-code: it holds binary data, not lines of text a printer can read.`;
  return null;
}

/** Reads the file once, chunk by chunk, and says whether the Library should take it as G-code. */
export async function checkGcodeFile(fileName: string, chunks: AsyncIterable<Uint8Array>): Promise<GcodeFileCheck> {
  const preflight = new JobPreflight(NO_TEMPERATURE_LIMITS);
  let head = new Uint8Array(0);
  let sniffed = false;
  for await (const chunk of chunks) {
    if (!sniffed) {
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      head = joined.subarray(0, SNIFF_BYTES);
      if (head.length < SNIFF_BYTES) {
        preflight.feed(chunk);
        continue;
      }
      sniffed = true;
      const foreign = notGcode(fileName, head);
      if (foreign) return { ok: false, message: foreign };
    }
    preflight.feed(chunk);
  }
  if (!sniffed) {
    if (head.length === 0) return { ok: false, message: `${fileName} is empty: it has no G-code in it.` };
    const foreign = notGcode(fileName, head);
    if (foreign) return { ok: false, message: foreign };
  }
  const result = preflight.finish();
  if (result.commandCount === 0) {
    return { ok: false, message: `${fileName} has no G-code commands in it (only comments or blank lines), so there is nothing to print.` };
  }
  if (!result.ok) return { ok: false, message: `${fileName} cannot be printed as it is:\n${describePreflight(result)}` };
  return { ok: true, preflight: result };
}

/** A blob's bytes as chunks, never the whole file in memory at once. */
export async function* blobChunks(blob: Blob, chunkBytes = 1024 * 1024): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < blob.size; offset += chunkBytes) {
    yield new Uint8Array(await blob.slice(offset, offset + chunkBytes).arrayBuffer());
  }
}
