// Deterministic packing of objects on the bed by their footprints (axis-aligned boxes after placement):
// shelves filled left to right, largest first, the packed block centred on the bed. The same input always
// gives the same layout, so "Arrange" twice does nothing the second time.
import type { BuildVolume, PlacementMatrix } from '../plate-types.js';
import { bedCentre, usableRect, type BedRect } from './plate-frame.js';
import { placedBounds } from './placed-mesh.js';
import { translatePlacement, type Placeable } from './plate-operations.js';

export interface ArrangeItem extends Placeable {
  id: string;
}

export interface ArrangeResult {
  placements: Map<string, PlacementMatrix>;
  /** Ids that did not fit on the bed; they are set down beyond its right edge. */
  overflow: string[];
}

export const defaultSpacingMm = 6;

interface Footprint {
  id: string;
  item: ArrangeItem;
  minX: number;
  minY: number;
  minZ: number;
  width: number;
  depth: number;
}

function footprintOf(item: ArrangeItem): Footprint {
  const bounds = placedBounds(item.positions, item.placement);
  return {
    id: item.id,
    item,
    minX: bounds.min[0],
    minY: bounds.min[1],
    minZ: bounds.min[2],
    width: bounds.max[0] - bounds.min[0],
    depth: bounds.max[1] - bounds.min[1],
  };
}

export function arrangeObjects(items: readonly ArrangeItem[], volume: BuildVolume, spacing = defaultSpacingMm): ArrangeResult {
  const rect = usableRect(volume);
  const usableWidth = rect.maxX - rect.minX;
  const usableDepth = rect.maxY - rect.minY;
  const footprints = items
    .map(footprintOf)
    .sort((a, b) => b.depth - a.depth || b.width * b.depth - a.width * a.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const spots = new Map<string, [number, number]>();
  const overflow: string[] = [];
  let shelfY = 0;
  let shelfDepth = 0;
  let cursorX = 0;
  let blockWidth = 0;
  for (const footprint of footprints) {
    if (cursorX > 0 && cursorX + footprint.width > usableWidth) {
      shelfY += shelfDepth + spacing;
      cursorX = 0;
      shelfDepth = 0;
    }
    if (footprint.width > usableWidth || shelfY + footprint.depth > usableDepth) {
      overflow.push(footprint.id);
      continue;
    }
    spots.set(footprint.id, [cursorX, shelfY]);
    cursorX += footprint.width + spacing;
    blockWidth = Math.max(blockWidth, cursorX - spacing);
    shelfDepth = Math.max(shelfDepth, footprint.depth);
  }
  const blockDepth = shelfY + shelfDepth;
  const [cx, cy] = bedCentre(volume);
  const originX = cx - blockWidth / 2;
  const originY = cy - blockDepth / 2;
  const placements = new Map<string, PlacementMatrix>();
  let overflowX = rect.maxX + spacing * 2;
  for (const footprint of footprints) {
    const spot = spots.get(footprint.id);
    const targetX = spot ? originX + spot[0] : overflowX;
    const targetY = spot ? originY + spot[1] : rect.minY;
    if (!spot) overflowX += footprint.width + spacing;
    placements.set(
      footprint.id,
      translatePlacement(footprint.item.placement, targetX - footprint.minX, targetY - footprint.minY, -footprint.minZ),
    );
  }
  return { placements, overflow };
}

/**
 * A place for a new object that overlaps nothing already on the plate: candidates on a grid, nearest to
 * the bed centre first. Returns the translation to apply, or null when the bed is full.
 */
export function findFreeSpot(
  item: Placeable,
  others: readonly Placeable[],
  volume: BuildVolume,
  spacing = defaultSpacingMm,
): [number, number] | null {
  const rect: BedRect = usableRect(volume);
  const bounds = placedBounds(item.positions, item.placement);
  const width = bounds.max[0] - bounds.min[0];
  const depth = bounds.max[1] - bounds.min[1];
  const taken = others.map((other) => placedBounds(other.positions, other.placement));
  const [cx, cy] = bedCentre(volume);
  const step = 5;
  const candidates: [number, number][] = [];
  for (let x = rect.minX; x + width <= rect.maxX + 1e-6; x += step) {
    for (let y = rect.minY; y + depth <= rect.maxY + 1e-6; y += step) candidates.push([x, y]);
  }
  // Centred position first, then by distance from the centre.
  candidates.unshift([cx - width / 2, cy - depth / 2]);
  const distance = ([x, y]: [number, number]) => (x + width / 2 - cx) ** 2 + (y + depth / 2 - cy) ** 2;
  const rest = candidates.slice(1).sort((a, b) => distance(a) - distance(b) || a[0] - b[0] || a[1] - b[1]);
  for (const [x, y] of [candidates[0], ...rest]) {
    if (x < rect.minX - 1e-6 || y < rect.minY - 1e-6 || x + width > rect.maxX + 1e-6 || y + depth > rect.maxY + 1e-6) continue;
    const clash = taken.some(
      (other) =>
        x < other.max[0] + spacing && x + width + spacing > other.min[0] && y < other.max[1] + spacing && y + depth + spacing > other.min[1],
    );
    if (!clash) return [x - bounds.min[0], y - bounds.min[1]];
  }
  return null;
}
