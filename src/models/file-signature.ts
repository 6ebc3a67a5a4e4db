// What a file is, told from its first bytes, so that a picture or a document given to Sliceport by
// mistake is named in plain words instead of being read as a broken model or sent to a printer.
// Used by the model importer (before any model reader runs) and by the Library's G-code check.

import { binaryStlSizeMatches, startsWithSolid } from './stl-reader.js';
import { ZipArchive, isZip } from './zip-archive.js';

/** A file kind a person recognises: "a PNG image", "G-code", "an STL model". */
export type FileKind =
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'bmp'
  | 'pdf'
  | 'gzip'
  | '7z'
  | 'rar'
  | 'zip'
  | 'office'
  | 'html'
  | 'svg'
  | 'step'
  | 'executable'
  | 'gcode'
  | 'stl'
  | 'obj'
  | '3mf';

const DESCRIPTIONS: Record<FileKind, string> = {
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  bmp: 'a BMP image',
  pdf: 'a PDF document',
  gzip: 'a gzip-compressed archive',
  '7z': 'a 7-Zip archive',
  rar: 'a RAR archive',
  zip: 'a ZIP archive',
  office: 'an office document (Word, Excel or similar)',
  html: 'a web page (HTML)',
  svg: 'an SVG drawing',
  step: 'a STEP CAD file (export it as STL or 3MF first)',
  executable: 'a program',
  gcode: 'G-code',
  stl: 'an STL model',
  obj: 'an OBJ model',
  '3mf': 'a 3MF model',
};

export function describeFileKind(kind: FileKind): string {
  return DESCRIPTIONS[kind];
}

const latin1 = new TextDecoder('latin1');

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[at + i] !== signature[i]) return false;
  return true;
}

/**
 * Formats with an unmistakable signature in their first bytes. Checked before anything else: no model
 * or G-code file starts with these.
 */
export function sniffBinarySignature(bytes: Uint8Array): FileKind | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  const head = latin1.decode(bytes.subarray(0, 16));
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  if (head.startsWith('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0x1f, 0x8b, 0x08])) return 'gzip';
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (head.startsWith('Rar!\x1a\x07')) return 'rar';
  if (head.startsWith('\x7fELF') || (head.startsWith('MZ') && bytes.length > 64 && !isMostlyText(bytes))) return 'executable';
  return null;
}

/** Text formats that are neither models nor G-code, recognised by how they begin. */
function sniffForeignText(text: string): FileKind | null {
  const start = text.replace(/^\ufeff/, '').trimStart().slice(0, 512).toLowerCase();
  if (start.startsWith('iso-10303-21')) return 'step';
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && start.includes('<svg'))) return 'svg';
  return null;
}

/** True when the bytes read as text: no NUL bytes and almost no other control characters. */
export function isMostlyText(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < length; i++) {
    const code = bytes[i];
    if (code === 0) return false;
    if (code < 9 || (code > 13 && code < 32)) control++;
  }
  return control <= length / 100;
}

/**
 * True when the first lines that say anything are G-code: commands like `G1`, `M104`, `T0` or `;`
 * comments, the way every slicer starts its files.
 */
export function looksLikeGcode(text: string): boolean {
  let commands = 0;
  let checked = 0;
  for (const raw of text.slice(0, 16 * 1024).split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (++checked > 40) break;
    if (line.startsWith(';') || line.startsWith('(')) continue;
    if (!/^(N\d+\s+)?[GMT]\d+(\.\d+)?\b/i.test(line)) return false;
    commands++;
  }
  return commands > 0 || (checked > 0 && /^\s*;/.test(text));
}

/** What a ZIP holds: a 3MF has a `.model` part; anything else is named by what it looks like. */
function sniffZip(bytes: Uint8Array): FileKind {
  try {
    const entries = new ZipArchive(bytes, 0).entries.map((entry) => entry.name);
    if (entries.some((name) => /\.model$/i.test(name))) return '3mf';
    if (entries.some((name) => /^(word|xl|ppt)\//.test(name) || name === 'mimetype')) return 'office';
    return 'zip';
  } catch {
    // A damaged ZIP is left to the 3MF reader, which says what is wrong with it.
    return '3mf';
  }
}

/**
 * Names what the bytes are, as far as Sliceport cares: a model format, G-code, or something else that
 * has a name. Null for bytes that match nothing (random binary, plain text).
 */
export function sniffFileKind(bytes: Uint8Array): FileKind | null {
  const binary = sniffBinarySignature(bytes);
  if (binary) return binary;
  if (isZip(bytes)) return sniffZip(bytes);
  if (binaryStlSizeMatches(bytes)) return 'stl';
  if (!isMostlyText(bytes)) return null;
  const text = latin1.decode(bytes.subarray(0, 64 * 1024));
  const foreign = sniffForeignText(text);
  if (foreign) return foreign;
  if (startsWithSolid(bytes) && /\bfacet\b/i.test(text)) return 'stl';
  if (/^\s*v\s+\S+\s+\S+\s+\S+/m.test(text) && /^\s*f\s/m.test(text)) return 'obj';
  if (looksLikeGcode(text)) return 'gcode';
  return null;
}
