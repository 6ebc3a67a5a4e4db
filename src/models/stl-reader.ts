// STL in both encodings. Written here rather than through three's STLLoader because the loader trusts a
// binary file's declared triangle count (a cut-short file ends in a RangeError) and keeps stored normals,
// which some exporters write as zeros; we need plain messages and our own normals.
import { FloatList } from './float-list.js';
import { ModelImportError, type ImportLimits, type MeshWarning } from './model-types.js';

export interface StlContent {
  encoding: 'binary' | 'ascii';
  positions: Float32Array;
  warnings: MeshWarning[];
}

const headerBytes = 84;
const facetBytes = 50;

/** Whether the bytes are a binary STL by their length, whatever the header says ("solid…" included). */
export function binaryStlSizeMatches(bytes: Uint8Array): boolean {
  if (bytes.byteLength < headerBytes) return false;
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
  return headerBytes + count * facetBytes === bytes.byteLength;
}

export function startsWithSolid(bytes: Uint8Array): boolean {
  // Some editors save text with a UTF-8 byte order mark in front.
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && i < 256 && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  const word = String.fromCharCode(...bytes.subarray(i, i + 5)).toLowerCase();
  return word === 'solid';
}

/** ASCII STL text contains "facet" soon after "solid"; a binary header that starts with "solid" does not. */
function looksLikeAsciiStl(bytes: Uint8Array): boolean {
  if (!startsWithSolid(bytes)) return false;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 4096))).toLowerCase();
  if (head.includes('\0')) return false;
  return head.includes('facet') || head.includes('endsolid');
}

export function readStl(bytes: Uint8Array, limits: ImportLimits): StlContent {
  if (binaryStlSizeMatches(bytes)) return readBinaryStl(bytes, limits);
  if (looksLikeAsciiStl(bytes)) return readAsciiStl(bytes, limits);
  return readBinaryStl(bytes, limits);
}

function readBinaryStl(bytes: Uint8Array, limits: ImportLimits): StlContent {
  if (bytes.byteLength < headerBytes) {
    throw new ModelImportError(
      'truncated',
      'This STL file is cut short: it ends before its header is complete.',
      `${bytes.byteLength} bytes, a binary STL needs at least ${headerBytes}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(80, true);
  const available = Math.floor((bytes.byteLength - headerBytes) / facetBytes);
  if (count > available) {
    throw new ModelImportError(
      'truncated',
      `This STL file is cut short: it says it holds ${count.toLocaleString('en')} triangles but only ${available.toLocaleString('en')} are there. Try exporting or downloading it again.`,
      `binary STL, ${bytes.byteLength} bytes, declared ${count} facets`,
    );
  }
  if (count > limits.maxTriangles) {
    throw new ModelImportError(
      'too-big',
      `This model has ${count.toLocaleString('en')} triangles, more than Sliceport can handle (${limits.maxTriangles.toLocaleString('en')}). Simplify it in your modelling program first.`,
    );
  }
  const positions = new Float32Array(count * 9);
  let zeroNormals = 0;
  for (let t = 0; t < count; t++) {
    const base = headerBytes + t * facetBytes;
    const nx = view.getFloat32(base, true);
    const ny = view.getFloat32(base + 4, true);
    const nz = view.getFloat32(base + 8, true);
    if (nx === 0 && ny === 0 && nz === 0) zeroNormals++;
    for (let k = 0; k < 9; k++) {
      const value = view.getFloat32(base + 12 + k * 4, true);
      if (!Number.isFinite(value)) throw invalidNumber(t, value);
      positions[t * 9 + k] = value;
    }
  }
  const warnings: MeshWarning[] = [];
  if (count > 0 && zeroNormals === count) {
    warnings.push({
      code: 'zero-normals',
      message: 'The file stores no face directions (all normals are zero). Sliceport works them out from the vertex order instead.',
      count: zeroNormals,
    });
  }
  return { encoding: 'binary', positions, warnings };
}

function invalidNumber(triangle: number, value: number): ModelImportError {
  return new ModelImportError(
    'invalid-number',
    `This file has a broken coordinate (${String(value)}) in triangle ${(triangle + 1).toLocaleString('en')}, so it cannot be placed or sliced. Repair or re-export it.`,
    `non-finite coordinate in facet ${triangle}`,
  );
}

const vertexPattern = /\bvertex\s+(\S+)\s+(\S+)\s+(\S+)/gi;
const facetStartPattern = /\bfacet\b/gi;
const facetEndPattern = /\bendfacet\b/gi;

function readAsciiStl(bytes: Uint8Array, limits: ImportLimits): StlContent {
  const text = new TextDecoder('latin1').decode(bytes);
  const coordinates = new FloatList();
  vertexPattern.lastIndex = 0;
  for (let match = vertexPattern.exec(text); match; match = vertexPattern.exec(text)) {
    const x = Math.fround(Number(match[1]));
    const y = Math.fround(Number(match[2]));
    const z = Math.fround(Number(match[3]));
    const triangle = Math.floor(coordinates.length / 9);
    if (!Number.isFinite(x)) throw invalidNumber(triangle, x);
    if (!Number.isFinite(y)) throw invalidNumber(triangle, y);
    if (!Number.isFinite(z)) throw invalidNumber(triangle, z);
    coordinates.push3(x, y, z);
    if (coordinates.length / 9 > limits.maxTriangles) {
      throw new ModelImportError(
        'too-big',
        `This model has more than ${limits.maxTriangles.toLocaleString('en')} triangles, more than Sliceport can handle. Simplify it first.`,
      );
    }
  }
  const vertexCount = coordinates.length / 3;
  const startFacets = text.match(facetStartPattern)?.length ?? 0;
  const endFacets = text.match(facetEndPattern)?.length ?? 0;
  if (vertexCount % 3 !== 0 || endFacets < vertexCount / 3 || startFacets > endFacets) {
    throw new ModelImportError(
      'truncated',
      'This STL file is cut short: its last triangle is incomplete. Try exporting or downloading it again.',
      `ASCII STL with ${vertexCount} vertices, ${startFacets} facet and ${endFacets} endfacet keywords`,
    );
  }
  const warnings: MeshWarning[] = [];
  if (!/endsolid[^\n]*\s*$/i.test(text.slice(-1024))) {
    warnings.push({
      code: 'missing-end',
      message: 'The file does not end with "endsolid", so it may be cut short. Check the model looks complete.',
    });
  }
  return { encoding: 'ascii', positions: coordinates.toArray(), warnings };
}
