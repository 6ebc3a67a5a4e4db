// The check made before slicing: every object lies inside the printer's build volume. The engine would
// silently cut away what lies outside; the user must hear which object is the problem instead.
import type { MeshBounds } from './placed-mesh.js';

export interface BuildVolumeShape {
  width: number;
  depth: number;
  height: number;
  shape: 'rectangular' | 'elliptic';
  /** G-code X0 Y0 is the bed centre (true) or its front-left corner (false). */
  originAtCenter: boolean;
}

/** Slack for rounding in placement matrices (mm). */
const tolerance = 0.01;

/** Reads the machine's volume from resolved engine settings (`machine_width`, …). */
export function buildVolumeFromSettings(global: Record<string, string>): BuildVolumeShape | string {
  const width = Number(global.machine_width);
  const depth = Number(global.machine_depth);
  const height = Number(global.machine_height);
  if (![width, depth, height].every((value) => Number.isFinite(value) && value > 0)) {
    return 'the printer settings do not give a build volume (machine_width, machine_depth, machine_height)';
  }
  return {
    width,
    depth,
    height,
    shape: global.machine_shape === 'elliptic' ? 'elliptic' : 'rectangular',
    originAtCenter: global.machine_center_is_zero?.toLowerCase() === 'true',
  };
}

/** Where plate coordinates put the bed's centre. */
export function bedCentreOf(volume: BuildVolumeShape): [number, number] {
  return volume.originAtCenter ? [0, 0] : [volume.width / 2, volume.depth / 2];
}

/**
 * Why a mesh (plate coordinates, the G-code frame) does not fit, in words; null when it fits.
 * Parts below the plate are allowed (the engine prints from Z = 0 up), an object entirely below is not.
 */
export function whyOutsideVolume(
  positions: Float32Array | (() => Float32Array),
  bounds: MeshBounds,
  volume: BuildVolumeShape,
): string | null {
  const halfWidth = volume.width / 2;
  const halfDepth = volume.depth / 2;
  const [cx, cy] = bedCentreOf(volume);
  const problems: string[] = [];
  if (bounds.min[0] < cx - halfWidth - tolerance || bounds.max[0] > cx + halfWidth + tolerance) problems.push('too far left or right');
  if (bounds.min[1] < cy - halfDepth - tolerance || bounds.max[1] > cy + halfDepth + tolerance) problems.push('too far to the front or back');
  if (bounds.max[2] > volume.height + tolerance) problems.push(`taller than the ${round(volume.height)} mm the printer can reach`);
  if (bounds.max[2] <= 0) problems.push('entirely below the build plate');
  if (problems.length === 0 && volume.shape === 'elliptic') {
    // Only round beds need the vertices; callers may hand them over lazily.
    const vertices = typeof positions === 'function' ? positions() : positions;
    for (let i = 0; i + 2 < vertices.length; i += 3) {
      const x = (vertices[i] - cx) / (halfWidth + tolerance);
      const y = (vertices[i + 1] - cy) / (halfDepth + tolerance);
      if (x * x + y * y > 1) {
        problems.push('outside the round bed');
        break;
      }
    }
  }
  return problems.length > 0 ? problems.join(', ') : null;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
