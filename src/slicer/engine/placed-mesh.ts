// Meshes travel to the slicer as binary STL in plate coordinates (the G-code frame: millimetres, Z up,
// X0 Y0 at the front-left corner or at the bed centre, see src/models/placement/plate-frame.ts), written
// by the plate's one writer, src/models/stl-writer.ts, which applies the placement to the vertices so the
// engine never needs `center_object` or mesh position settings. CuraEngine itself wants meshes centred on
// the bed (it adds half the bed on front-left-origin machines): `shiftedStlCopy` makes that one
// translation just before slicing. This file reads those STLs back; it writes none.
import type { MeshBounds } from '../../models/model-types.js';

export type { MeshBounds };

const headerBytes = 80;
const triangleBytes = 50;

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
