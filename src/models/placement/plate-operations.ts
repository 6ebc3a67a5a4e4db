// What the plate's buttons do, as pure functions from a placement to a new placement. Rotations, scaling
// and mirroring happen about the object's own bounding-box centre so it stays where the user put it, and
// leave the object standing on the bed, as slicers expect.
import { Euler, Matrix4, Quaternion, Vector3 } from 'three';
import type { BuildVolume, PlacementMatrix } from '../plate-types.js';
import type { MeshBounds } from '../model-types.js';
import { bedCentre, bedRect } from './plate-frame.js';
import { fromMatrix4, placedBounds, toMatrix4 } from './placed-mesh.js';

export interface Placeable {
  positions: Float32Array;
  placement: PlacementMatrix;
}

/** Position, rotation (degrees, XYZ order) and scale (negative when mirrored) as the numeric fields show them. */
export interface Pose {
  position: [number, number, number];
  rotationDeg: [number, number, number];
  scale: [number, number, number];
}

const degrees = 180 / Math.PI;

export function poseOf(placement: PlacementMatrix): Pose {
  const position = new Vector3();
  const quaternion = new Quaternion();
  const scale = new Vector3();
  toMatrix4(placement).decompose(position, quaternion, scale);
  const euler = new Euler().setFromQuaternion(quaternion, 'XYZ');
  const round = (v: number) => Math.round(v * 1e6) / 1e6 + 0;
  return {
    position: [round(position.x), round(position.y), round(position.z)],
    rotationDeg: [round(euler.x * degrees), round(euler.y * degrees), round(euler.z * degrees)],
    scale: [round(scale.x), round(scale.y), round(scale.z)],
  };
}

export function placementOf(pose: Pose): PlacementMatrix {
  const quaternion = new Quaternion().setFromEuler(
    new Euler(pose.rotationDeg[0] / degrees, pose.rotationDeg[1] / degrees, pose.rotationDeg[2] / degrees, 'XYZ'),
  );
  return fromMatrix4(new Matrix4().compose(new Vector3(...pose.position), quaternion, new Vector3(...pose.scale)));
}

/**
 * Moves a mesh so its footprint centre sits at X0 Y0 and its lowest point at Z0, and returns the offset
 * that puts it back. Imported meshes are stored this way so rotations turn them about their middle.
 */
export function centreMesh(positions: Float32Array, bounds: MeshBounds): { positions: Float32Array; offset: [number, number, number] } {
  const offset: [number, number, number] = [
    (bounds.min[0] + bounds.max[0]) / 2,
    (bounds.min[1] + bounds.max[1]) / 2,
    bounds.min[2],
  ];
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    out[i] = positions[i] - offset[0];
    out[i + 1] = positions[i + 1] - offset[1];
    out[i + 2] = positions[i + 2] - offset[2];
  }
  return { positions: out, offset };
}

export function translatePlacement(placement: PlacementMatrix, dx: number, dy: number, dz: number): PlacementMatrix {
  return fromMatrix4(new Matrix4().makeTranslation(dx, dy, dz).multiply(toMatrix4(placement)));
}

export function dropToBed(object: Placeable): PlacementMatrix {
  const bounds = placedBounds(object.positions, object.placement);
  return translatePlacement(object.placement, 0, 0, -bounds.min[2]);
}

export function centreOnBed(object: Placeable, volume: BuildVolume): PlacementMatrix {
  const bounds = placedBounds(object.positions, object.placement);
  const [cx, cy] = bedCentre(volume);
  return translatePlacement(object.placement, cx - (bounds.min[0] + bounds.max[0]) / 2, cy - (bounds.min[1] + bounds.max[1]) / 2, 0);
}

/** Applies a linear change (rotation, scale, mirror) in plate space about the object's bounding-box centre. */
export function aboutCentre(object: Placeable, change: Matrix4): PlacementMatrix {
  const bounds = placedBounds(object.positions, object.placement);
  const centre = new Vector3(
    (bounds.min[0] + bounds.max[0]) / 2,
    (bounds.min[1] + bounds.max[1]) / 2,
    (bounds.min[2] + bounds.max[2]) / 2,
  );
  const matrix = new Matrix4()
    .makeTranslation(centre.x, centre.y, centre.z)
    .multiply(change)
    .multiply(new Matrix4().makeTranslation(-centre.x, -centre.y, -centre.z))
    .multiply(toMatrix4(object.placement));
  return fromMatrix4(matrix);
}

/** Changes one pose field set (from the numeric fields) and sets the object back on the bed. */
export function withPose(object: Placeable, pose: Pose, options: { keepHeight?: boolean } = {}): PlacementMatrix {
  const placement = placementOf(pose);
  return options.keepHeight ? placement : dropToBed({ positions: object.positions, placement });
}

export function mirror(object: Placeable, axis: 0 | 1 | 2): PlacementMatrix {
  const flip = new Matrix4().makeScale(axis === 0 ? -1 : 1, axis === 1 ? -1 : 1, axis === 2 ? -1 : 1);
  return dropToBed({ positions: object.positions, placement: aboutCentre(object, flip) });
}

/**
 * Scales along the object's own axes (so a turned object keeps its shape, with no shear), keeping its
 * footprint centre in place and its base on the bed.
 */
export function scaleBy(object: Placeable, factors: [number, number, number]): PlacementMatrix {
  if (factors.some((f) => !Number.isFinite(f) || f === 0)) return object.placement;
  const before = placedBounds(object.positions, object.placement);
  const scaled = fromMatrix4(toMatrix4(object.placement).multiply(new Matrix4().makeScale(...factors)));
  const after = placedBounds(object.positions, scaled);
  const moved = translatePlacement(
    scaled,
    (before.min[0] + before.max[0] - after.min[0] - after.max[0]) / 2,
    (before.min[1] + before.max[1] - after.min[1] - after.max[1]) / 2,
    0,
  );
  return dropToBed({ positions: object.positions, placement: moved });
}

export function rotateBy(object: Placeable, axis: 0 | 1 | 2, angleDeg: number): PlacementMatrix {
  const rotation = new Matrix4();
  const radians = angleDeg / degrees;
  if (axis === 0) rotation.makeRotationX(radians);
  else if (axis === 1) rotation.makeRotationY(radians);
  else rotation.makeRotationZ(radians);
  return dropToBed({ positions: object.positions, placement: aboutCentre(object, rotation) });
}

/** Normal of one triangle in plate space, or null when the triangle has no area. */
export function placedFaceNormal(object: Placeable, triangle: number): Vector3 | null {
  const p = object.positions;
  const base = triangle * 9;
  if (triangle < 0 || base + 9 > p.length) return null;
  const matrix = toMatrix4(object.placement);
  const a = new Vector3(p[base], p[base + 1], p[base + 2]).applyMatrix4(matrix);
  const b = new Vector3(p[base + 3], p[base + 4], p[base + 5]).applyMatrix4(matrix);
  const c = new Vector3(p[base + 6], p[base + 7], p[base + 8]).applyMatrix4(matrix);
  const normal = b.sub(a).cross(c.sub(a));
  if (normal.lengthSq() === 0) return null;
  // A mirrored placement reverses the winding; the outward normal flips with it.
  if (matrix.determinant() < 0) normal.negate();
  return normal.normalize();
}

/** Turns the object so the chosen face lies on the bed (its outward normal pointing straight down). */
export function layFlat(object: Placeable, triangle: number): PlacementMatrix {
  const normal = placedFaceNormal(object, triangle);
  if (!normal) return object.placement;
  const down = new Vector3(0, 0, -1);
  const rotation = new Matrix4().makeRotationFromQuaternion(new Quaternion().setFromUnitVectors(normal, down));
  return dropToBed({ positions: object.positions, placement: aboutCentre(object, rotation) });
}

const tolerance = 1e-3;

/** Whether any vertex of the placed object lies outside the printable volume. */
export function isOutsideVolume(object: Placeable, volume: BuildVolume): boolean {
  const bounds = placedBounds(object.positions, object.placement);
  const rect = bedRect(volume);
  if (bounds.min[2] < -tolerance || bounds.max[2] > volume.height + tolerance) return true;
  if (
    bounds.min[0] < rect.minX - tolerance ||
    bounds.max[0] > rect.maxX + tolerance ||
    bounds.min[1] < rect.minY - tolerance ||
    bounds.max[1] > rect.maxY + tolerance
  ) {
    return true;
  }
  if (volume.shape === 'rectangular') return false;
  const [cx, cy] = bedCentre(volume);
  const a = volume.width / 2 + tolerance;
  const b = volume.depth / 2 + tolerance;
  const e = object.placement;
  const p = object.positions;
  for (let i = 0; i < p.length; i += 3) {
    const x = e[0] * p[i] + e[4] * p[i + 1] + e[8] * p[i + 2] + e[12] - cx;
    const y = e[1] * p[i] + e[5] * p[i + 1] + e[9] * p[i + 2] + e[13] - cy;
    if ((x * x) / (a * a) + (y * y) / (b * b) > 1) return true;
  }
  return false;
}
