// Reads entries of a ZIP archive (3MF's container) with a hard cap on inflated bytes. The sizes a ZIP
// declares can lie, so the cap is enforced while inflating: compressed data is fed to fflate's streaming
// Inflate in small slices and reading stops as soon as the output passes the cap. A slice of 32 KiB can
// inflate to at most about 33 MB (DEFLATE's ratio tops out near 1032:1), which bounds the overshoot.
import { Inflate } from 'fflate';
import { ModelImportError } from './model-types.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const sliceBytes = 32 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function badZip(detail: string): ModelImportError {
  return new ModelImportError('bad-zip', 'This 3MF file is damaged: its ZIP container cannot be read.', detail);
}

export class ZipArchive {
  readonly entries: ZipEntry[];
  #bytes: Uint8Array;
  #view: DataView;
  #inflated = 0;

  constructor(
    bytes: Uint8Array,
    readonly maxInflatedBytes: number,
  ) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.entries = this.#readCentralDirectory();
  }

  find(name: string): ZipEntry | undefined {
    const wanted = name.replace(/^\//, '').toLowerCase();
    return this.entries.find((entry) => entry.name.toLowerCase() === wanted);
  }

  /** The entry's bytes, inflated; throws a plain error past the archive's inflate budget. */
  read(entry: ZipEntry): Uint8Array {
    const view = this.#view;
    const at = entry.localHeaderOffset;
    if (at + 30 > this.#bytes.length || view.getUint32(at, true) !== 0x04034b50) throw badZip(`no local header for ${entry.name}`);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.#bytes.length) throw badZip(`${entry.name} runs past the end of the archive`);
    const compressed = this.#bytes.subarray(start, end);
    if (entry.declaredSize > this.maxInflatedBytes - this.#inflated) throw this.#bomb(entry.name);
    if (entry.method === 0) {
      this.#inflated += compressed.length;
      return compressed;
    }
    if (entry.method !== 8) throw badZip(`${entry.name} uses compression method ${entry.method}`);
    const chunks: Uint8Array[] = [];
    let produced = 0;
    const inflate = new Inflate((chunk) => {
      produced += chunk.length;
      if (this.#inflated + produced > this.maxInflatedBytes) throw this.#bomb(entry.name);
      if (chunk.length) chunks.push(chunk);
    });
    try {
      for (let offset = 0; offset < compressed.length; offset += sliceBytes) {
        const last = offset + sliceBytes >= compressed.length;
        inflate.push(compressed.subarray(offset, offset + sliceBytes), last);
      }
      if (compressed.length === 0) inflate.push(new Uint8Array(0), true);
    } catch (error) {
      if (error instanceof ModelImportError) throw error;
      throw badZip(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.#inflated += produced;
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(produced);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  #bomb(name: string): ModelImportError {
    return new ModelImportError(
      'zip-bomb',
      `This 3MF file unpacks to more than ${Math.round(this.maxInflatedBytes / 1024 / 1024)} MB, far more than a model needs, so Sliceport refused it.`,
      `inflating ${name} passed the ${this.maxInflatedBytes}-byte limit`,
    );
  }

  #readCentralDirectory(): ZipEntry[] {
    const bytes = this.#bytes;
    const view = this.#view;
    // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of < 64 KiB.
    let eocd = -1;
    for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
      if (view.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw badZip('no end-of-central-directory record (the file may be cut short)');
    let count = view.getUint16(eocd + 10, true);
    let offset = view.getUint32(eocd + 16, true);
    if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
      const record = Number(view.getBigUint64(eocd - 12, true));
      if (record + 56 > bytes.length || view.getUint32(record, true) !== 0x06064b50) throw badZip('bad ZIP64 record');
      count = Number(view.getBigUint64(record + 32, true));
      offset = Number(view.getBigUint64(record + 48, true));
    }
    const entries: ZipEntry[] = [];
    const names = new TextDecoder('utf-8');
    let at = offset;
    for (let n = 0; n < count; n++) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw badZip(`central directory entry ${n} is damaged`);
      const method = view.getUint16(at + 10, true);
      let compressedSize = view.getUint32(at + 20, true);
      let declaredSize = view.getUint32(at + 24, true);
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      let localHeaderOffset = view.getUint32(at + 42, true);
      const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
      // ZIP64 keeps the real sizes in an extra field, in this order, only for the fields that overflowed.
      let extra = at + 46 + nameLength;
      const extraEnd = extra + extraLength;
      if (extraEnd > bytes.length) throw badZip(`central directory entry ${n} runs past the end of the archive`);
      while (extra + 4 <= extraEnd) {
        const id = view.getUint16(extra, true);
        const size = view.getUint16(extra + 2, true);
        if (id === 0x0001) {
          let field = extra + 4;
          const fieldEnd = Math.min(extraEnd, field + size);
          const next = (): number => {
            if (field + 8 > fieldEnd) throw badZip(`central directory entry ${n} has a damaged ZIP64 field`);
            field += 8;
            return Number(view.getBigUint64(field - 8, true));
          };
          if (declaredSize === 0xffffffff) declaredSize = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
        }
        extra += 4 + size;
      }
      entries.push({ name, method, compressedSize, declaredSize, localHeaderOffset });
      at = extraEnd + commentLength;
    }
    return entries;
  }
}
