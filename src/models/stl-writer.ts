// Binary STL writing: the form meshes take on their way to the slicer.
import type { PlacementMatrix } from './plate-types.js';
import { isMirrored, toMatrix4 } from './placement/placed-mesh.js';

/**
 * A binary STL of the placed object. A mirrored placement would turn the faces inside out, so each
 * triangle's winding is reversed to keep normals pointing outwards. `offset` is added after placement:
 * CuraEngine, for instance, wants meshes relative to the bed centre.
 */
export function encodeBinaryStl(
  positions: Float32Array,
  placement: PlacementMatrix | null = null,
  header = 'Sliceport plate',
  offset: [number, number, number] = [0, 0, 0],
): ArrayBuffer {
  const count = positions.length / 9;
  const buffer = new ArrayBuffer(84 + count * 50);
  const view = new DataView(buffer);
  const headerBytes = new TextEncoder().encode(header.slice(0, 80));
  // A header that begins with "solid" confuses readers into trying ASCII.
  new Uint8Array(buffer, 0, 80).set(headerBytes.subarray(0, 80));
  if (header.toLowerCase().startsWith('solid')) new Uint8Array(buffer, 0, 5).set([0x53, 0x4c, 0x43, 0x50, 0x20]);
  view.setUint32(80, count, true);
  const e = placement ? toMatrix4(placement).elements : null;
  const flip = placement ? isMirrored(placement) : false;
  const corner = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < 3; k++) {
      const source = t * 9 + (flip ? [0, 2, 1][k] : k) * 3;
      const x = positions[source];
      const y = positions[source + 1];
      const z = positions[source + 2];
      corner[k * 3] = (e ? e[0] * x + e[4] * y + e[8] * z + e[12] : x) + offset[0];
      corner[k * 3 + 1] = (e ? e[1] * x + e[5] * y + e[9] * z + e[13] : y) + offset[1];
      corner[k * 3 + 2] = (e ? e[2] * x + e[6] * y + e[10] * z + e[14] : z) + offset[2];
    }
    const ux = corner[3] - corner[0];
    const uy = corner[4] - corner[1];
    const uz = corner[5] - corner[2];
    const vx = corner[6] - corner[0];
    const vy = corner[7] - corner[1];
    const vz = corner[8] - corner[2];
    let nx = uy * vz - uz * vy;
    let ny = uz * vx - ux * vz;
    let nz = ux * vy - uy * vx;
    const length = Math.hypot(nx, ny, nz) || 1;
    nx /= length;
    ny /= length;
    nz /= length;
    const base = 84 + t * 50;
    view.setFloat32(base, nx, true);
    view.setFloat32(base + 4, ny, true);
    view.setFloat32(base + 8, nz, true);
    for (let k = 0; k < 9; k++) view.setFloat32(base + 12 + k * 4, corner[k], true);
    view.setUint16(base + 48, 0, true);
  }
  return buffer;
}
