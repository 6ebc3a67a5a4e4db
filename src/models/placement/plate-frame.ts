// The plate's coordinate convention, which is also what the slicer receives and what the G-code says:
// millimetres, Z up, Z = 0 on the bed surface, X to the right and Y away from the viewer. X0 Y0 is the
// front-left corner of the bed, or the bed's centre on machines whose origin is at the centre (delta
// printers and most circular beds). An object's vertices times its placement matrix are plate coordinates.
import type { BuildVolume } from '../plate-types.js';

export interface BedRect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function bedRect(volume: BuildVolume): BedRect {
  if (volume.originAtCenter) {
    return { minX: -volume.width / 2, minY: -volume.depth / 2, maxX: volume.width / 2, maxY: volume.depth / 2 };
  }
  return { minX: 0, minY: 0, maxX: volume.width, maxY: volume.depth };
}

export function bedCentre(volume: BuildVolume): [number, number] {
  const rect = bedRect(volume);
  return [(rect.minX + rect.maxX) / 2, (rect.minY + rect.maxY) / 2];
}

/** The largest axis-aligned rectangle that fits the bed: the bed itself, or the square inside an ellipse. */
export function usableRect(volume: BuildVolume): BedRect {
  const rect = bedRect(volume);
  if (volume.shape === 'rectangular') return rect;
  const [cx, cy] = bedCentre(volume);
  const halfWidth = volume.width / 2 / Math.SQRT2;
  const halfDepth = volume.depth / 2 / Math.SQRT2;
  return { minX: cx - halfWidth, minY: cy - halfDepth, maxX: cx + halfWidth, maxY: cy + halfDepth };
}
