// Geometry of an object as placed: its vertices through its placement matrix.
import { Matrix4, Vector3 } from 'three';
import type { PlacementMatrix } from '../plate-types.js';
import type { MeshBounds } from '../model-types.js';

export function toMatrix4(placement: PlacementMatrix): Matrix4 {
  return new Matrix4().fromArray(placement as number[]);
}

export function fromMatrix4(matrix: Matrix4): PlacementMatrix {
  return Object.freeze(Array.from(matrix.elements));
}

export const identityPlacement: PlacementMatrix = fromMatrix4(new Matrix4());

/** Exact bounds of the placed vertices (not a transformed box, which would overestimate after rotation). */
export function placedBounds(positions: Float32Array, placement: PlacementMatrix): MeshBounds {
  const e = placement;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i];
    const y = positions[i + 1];
    const z = positions[i + 2];
    const px = e[0] * x + e[4] * y + e[8] * z + e[12];
    const py = e[1] * x + e[5] * y + e[9] * z + e[13];
    const pz = e[2] * x + e[6] * y + e[10] * z + e[14];
    if (px < min[0]) min[0] = px;
    if (py < min[1]) min[1] = py;
    if (pz < min[2]) min[2] = pz;
    if (px > max[0]) max[0] = px;
    if (py > max[1]) max[1] = py;
    if (pz > max[2]) max[2] = pz;
  }
  return { min, max };
}

/** Applies the placement to every vertex, into a new array. */
export function placedPositions(positions: Float32Array, placement: PlacementMatrix): Float32Array {
  const out = new Float32Array(positions.length);
  const matrix = toMatrix4(placement);
  const v = new Vector3();
  for (let i = 0; i < positions.length; i += 3) {
    v.set(positions[i], positions[i + 1], positions[i + 2]).applyMatrix4(matrix);
    out[i] = v.x;
    out[i + 1] = v.y;
    out[i + 2] = v.z;
  }
  return out;
}

/** A mirrored placement turns faces inside out; writers must then reverse each triangle's winding. */
export function isMirrored(placement: PlacementMatrix): boolean {
  return toMatrix4(placement).determinant() < 0;
}
