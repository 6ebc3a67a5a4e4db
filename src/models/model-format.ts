// Which reader a file needs, decided by its content; the extension is only a hint, and a file whose
// extension lies is still opened by what it is.
import { describeFileKind, sniffFileKind, type FileKind } from './file-signature.js';
import type { ModelFormat } from './model-types.js';
import { binaryStlSizeMatches, startsWithSolid } from './stl-reader.js';
import { isZip } from './zip-archive.js';

export type SniffedFormat = ModelFormat | 'unknown';

export function extensionFormat(fileName: string): ModelFormat | null {
  const match = /\.([a-z0-9]+)$/i.exec(fileName);
  const extension = match?.[1].toLowerCase();
  return extension === 'stl' || extension === 'obj' || extension === '3mf' ? extension : null;
}

export function sniffFormat(bytes: Uint8Array, fileName: string): SniffedFormat {
  if (isZip(bytes)) return '3mf';
  if (binaryStlSizeMatches(bytes)) return 'stl';
  if (startsWithSolid(bytes)) return 'stl';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  if (isText(head) && /^\s*(v|f|vn|vt|o|g|mtllib|usemtl)\s/m.test(head) && /^\s*v\s+\S+\s+\S+\s+\S+/m.test(head)) return 'obj';
  // An unrecognised binary file named .stl is read as a binary STL so that a cut-short one gets a
  // precise message rather than "unknown format".
  if (extensionFormat(fileName) === 'stl' && bytes.length >= 84 && !isText(head)) return 'stl';
  return 'unknown';
}

function isText(head: string): boolean {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    if (code === 0) return false;
    if (code < 9 || (code > 13 && code < 32)) control++;
  }
  return control <= head.length / 100;
}

/** Names a file that is not a model (a picture, a document, G-code), or null when it may be one. */
export function describeForeignFile(bytes: Uint8Array): { kind: FileKind; message: string } | null {
  const kind = sniffFileKind(bytes);
  if (!kind || kind === 'stl' || kind === 'obj' || kind === '3mf') return null;
  const message =
    kind === 'gcode'
      ? 'This file is G-code, not a 3D model: open it from the Library to preview or print it.'
      : `This file is ${describeFileKind(kind)}, not a 3D model. Sliceport opens STL, OBJ and 3MF files.`;
  return { kind, message };
}
