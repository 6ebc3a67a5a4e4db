// Meshes travel to the slicer as binary STL in plate coordinates (the G-code frame: millimetres, Z up,
// X0 Y0 at the front-left corner or at the bed centre, see src/models/placement/plate-frame.ts). The
// plate transform is applied here, to the vertices, so the engine never needs `center_object` or mesh
// position settings. CuraEngine itself wants meshes centred on the bed (it adds half the bed on
// front-left-origin machines): `shiftBinaryStl` makes that one translation just before slicing.

/** 4×4 column-major (three.js `Matrix4.elements` order). */
export type Matrix4Elements = readonly number[];

export interface MeshBounds {
  min: [number, number, number];
  max: [number, number, number];
}

const headerBytes = 80;
const triangleBytes = 50;

/** Vertices × placement: a new triangle soup (9 floats per triangle) in plate coordinates. */
export function applyPlacement(positions: Float32Array, placement: Matrix4Elements): Float32Array {
  if (placement.length !== 16) throw new Error(`a placement needs 16 numbers, got ${placement.length}`);
  const m = placement;
  const out = new Float32Array(positions.length);
  for (let i = 0; i + 2 < positions.length; i += 3) {
    const x = positions[i];
    const y = positions[i + 1];
    const z = positions[i + 2];
    const w = m[3] * x + m[7] * y + m[11] * z + m[15] || 1;
    out[i] = (m[0] * x + m[4] * y + m[8] * z + m[12]) / w;
    out[i + 1] = (m[1] * x + m[5] * y + m[9] * z + m[13]) / w;
    out[i + 2] = (m[2] * x + m[6] * y + m[10] * z + m[14]) / w;
  }
  return out;
}

export function boundsOf(positions: Float32Array): MeshBounds | null {
  if (positions.length < 3) return null;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 2 < positions.length; i += 3) {
    for (let axis = 0; axis < 3; axis++) {
      const value = positions[i + axis];
      if (value < min[axis]) min[axis] = value;
      if (value > max[axis]) max[axis] = value;
    }
  }
  return { min, max };
}

/** A binary STL of a triangle soup (normals computed from the winding). */
export function encodeBinaryStl(positions: Float32Array, name = 'sliceport'): ArrayBuffer {
  const triangles = Math.floor(positions.length / 9);
  const buffer = new ArrayBuffer(headerBytes + 4 + triangles * triangleBytes);
  const bytes = new Uint8Array(buffer);
  const header = new TextEncoder().encode(`binary STL: ${name}`.slice(0, headerBytes));
  // An STL header must not start with "solid", or readers take the file for ASCII.
  bytes.set(header.subarray(0, headerBytes));
  const view = new DataView(buffer);
  view.setUint32(headerBytes, triangles, true);
  let offset = headerBytes + 4;
  for (let t = 0; t < triangles; t++) {
    const p = t * 9;
    const ax = positions[p + 3] - positions[p];
    const ay = positions[p + 4] - positions[p + 1];
    const az = positions[p + 5] - positions[p + 2];
    const bx = positions[p + 6] - positions[p];
    const by = positions[p + 7] - positions[p + 1];
    const bz = positions[p + 8] - positions[p + 2];
    let nx = ay * bz - az * by;
    let ny = az * bx - ax * bz;
    let nz = ax * by - ay * bx;
    const length = Math.hypot(nx, ny, nz) || 1;
    nx /= length;
    ny /= length;
    nz /= length;
    view.setFloat32(offset, nx, true);
    view.setFloat32(offset + 4, ny, true);
    view.setFloat32(offset + 8, nz, true);
    for (let k = 0; k < 9; k++) view.setFloat32(offset + 12 + k * 4, positions[p + k], true);
    view.setUint16(offset + 48, 0, true);
    offset += triangleBytes;
  }
  return buffer;
}

/**
 * A copy of a binary STL with every vertex moved by (dx, dy), and the bounds of the original: one
 * pass for the engine's file. An error message when the data is not a binary STL.
 */
export function shiftedStlCopy(buffer: ArrayBuffer, dx: number, dy: number): { bytes: Uint8Array; bounds: MeshBounds | null } | string {
  if (buffer.byteLength < headerBytes + 4) return 'the mesh data is too short to be a binary STL';
  const source = new DataView(buffer);
  const triangles = source.getUint32(headerBytes, true);
  const length = headerBytes + 4 + triangles * triangleBytes;
  if (buffer.byteLength < length) return `the mesh data is cut short (${triangles} triangles announced, ${buffer.byteLength} bytes)`;
  const bytes = new Uint8Array(buffer.slice(0, length));
  const target = new DataView(bytes.buffer);
  let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (let t = 0; t < triangles; t++) {
    let offset = headerBytes + 4 + t * triangleBytes + 12;
    for (let k = 0; k < 3; k++) {
      const x = source.getFloat32(offset, true);
      const y = source.getFloat32(offset + 4, true);
      const z = source.getFloat32(offset + 8, true);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (z < minZ) minZ = z;
      if (z > maxZ) maxZ = z;
      if (dx !== 0) target.setFloat32(offset, x + dx, true);
      if (dy !== 0) target.setFloat32(offset + 4, y + dy, true);
      offset += 12;
    }
  }
  const bounds: MeshBounds | null = triangles > 0 ? { min: [minX, minY, minZ], max: [maxX, maxY, maxZ] } : null;
  return { bytes, bounds };
}

/** Moves every vertex of a binary STL by (dx, dy), in place. */
export function shiftBinaryStl(buffer: ArrayBuffer, dx: number, dy: number): void {
  if (dx === 0 && dy === 0) return;
  const view = new DataView(buffer);
  const triangles = view.getUint32(headerBytes, true);
  let offset = headerBytes + 4;
  for (let t = 0; t < triangles; t++) {
    for (let vertex = 0; vertex < 3; vertex++) {
      const at = offset + 12 + vertex * 12;
      view.setFloat32(at, view.getFloat32(at, true) + dx, true);
      view.setFloat32(at + 4, view.getFloat32(at + 4, true) + dy, true);
    }
    offset += triangleBytes;
  }
}

/** The vertices of a binary STL (9 floats per triangle); an error message when it is not one. */
export function decodeBinaryStl(buffer: ArrayBuffer): Float32Array | string {
  if (buffer.byteLength < headerBytes + 4) return 'the mesh data is too short to be a binary STL';
  const view = new DataView(buffer);
  const triangles = view.getUint32(headerBytes, true);
  if (buffer.byteLength < headerBytes + 4 + triangles * triangleBytes) {
    return `the mesh data is cut short (${triangles} triangles announced, ${buffer.byteLength} bytes)`;
  }
  const positions = new Float32Array(triangles * 9);
  let offset = headerBytes + 4;
  for (let t = 0; t < triangles; t++) {
    for (let k = 0; k < 9; k++) positions[t * 9 + k] = view.getFloat32(offset + 12 + k * 4, true);
    offset += triangleBytes;
  }
  return positions;
}
