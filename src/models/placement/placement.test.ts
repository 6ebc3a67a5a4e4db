import { describe, expect, it } from 'vitest';
import type { BuildVolume, PlateObject } from '../plate-types.js';
import { cubeTriangles } from '../fixtures/model-fixtures.js';
import { importModel } from '../import-model.js';
import { soupBounds } from '../mesh-checks.js';
import { bedCentre, bedRect } from './plate-frame.js';
import { arrangeObjects, findFreeSpot } from './plate-arrangement.js';
import { PlateHistory } from './plate-history.js';
import { identityPlacement, isMirrored, placedBounds } from './placed-mesh.js';
import {
  centreMesh,
  centreOnBed,
  dropToBed,
  isOutsideVolume,
  layFlat,
  mirror,
  placementOf,
  poseOf,
  rotateBy,
  scaleBy,
  translatePlacement,
} from './plate-operations.js';
import { curaEngineOffset, objectsOutsideVolume, outsideVolumeMessage, plateObjectToStl, plateSliceMeshes } from './slice-meshes.js';

const ender: BuildVolume = { width: 220, depth: 220, height: 250, shape: 'rectangular', originAtCenter: false };
const delta: BuildVolume = { width: 200, depth: 200, height: 300, shape: 'elliptic', originAtCenter: true };

const close = (actual: readonly number[], expected: readonly number[], digits = 4) =>
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], digits));

function cubeObject(size = 20, id = 'cube'): PlateObject {
  const raw = cubeTriangles(size);
  const { positions } = centreMesh(raw, soupBounds([raw]));
  return { id, name: id, positions, placement: identityPlacement, extruder: 0, outsideVolume: false };
}

describe('plate frame', () => {
  it('puts the origin at the front-left corner or at the centre', () => {
    expect(bedRect(ender)).toEqual({ minX: 0, minY: 0, maxX: 220, maxY: 220 });
    expect(bedCentre(ender)).toEqual([110, 110]);
    expect(bedRect(delta)).toEqual({ minX: -100, minY: -100, maxX: 100, maxY: 100 });
    expect(bedCentre(delta)).toEqual([0, 0]);
  });
});

describe('placement operations', () => {
  it('stores imported meshes with their footprint centred on the origin and their base at Z0', () => {
    const raw = cubeTriangles(20, [-48, -50, -31]);
    const { positions, offset } = centreMesh(raw, soupBounds([raw]));
    expect(offset).toEqual([-38, -40, -31]);
    expect(soupBounds([positions])).toEqual({ min: [-10, -10, 0], max: [10, 10, 20] });
  });

  it('round-trips a pose through the placement matrix', () => {
    const pose = { position: [10, 20, 0] as [number, number, number], rotationDeg: [0, 0, 45] as [number, number, number], scale: [2, 1, 1] as [number, number, number] };
    const back = poseOf(placementOf(pose));
    close(back.position, pose.position);
    close(back.rotationDeg, pose.rotationDeg);
    close(back.scale, pose.scale);
  });

  it('drops an object to the bed and centres it', () => {
    const cube = cubeObject();
    const lifted = { ...cube, placement: translatePlacement(cube.placement, 5, 7, 33) };
    const dropped = { ...cube, placement: dropToBed(lifted) };
    expect(placedBounds(dropped.positions, dropped.placement).min[2]).toBeCloseTo(0);
    const centred = { ...cube, placement: centreOnBed(dropped, ender) };
    const bounds = placedBounds(centred.positions, centred.placement);
    close(bounds.min, [100, 100, 0]);
    close(bounds.max, [120, 120, 20]);
  });

  it('rotates about the object centre and keeps it on the bed', () => {
    const cube = { ...cubeObject(), placement: translatePlacement(identityPlacement, 50, 50, 0) };
    const turned = { ...cube, placement: rotateBy(cube, 0, 45) };
    const bounds = placedBounds(turned.positions, turned.placement);
    expect(bounds.min[2]).toBeCloseTo(0);
    expect(bounds.max[2]).toBeCloseTo(20 * Math.SQRT2);
    expect((bounds.min[0] + bounds.max[0]) / 2).toBeCloseTo(50);
    expect((bounds.min[1] + bounds.max[1]) / 2).toBeCloseTo(50);
  });

  it('scales per axis about the centre', () => {
    const cube = { ...cubeObject(), placement: translatePlacement(identityPlacement, 50, 50, 0) };
    const scaled = { ...cube, placement: scaleBy(cube, [2, 1, 0.5]) };
    const bounds = placedBounds(scaled.positions, scaled.placement);
    close(bounds.min, [30, 40, 0]);
    close(bounds.max, [70, 60, 10]);
    expect(scaleBy(cube, [0, 1, 1])).toBe(cube.placement);
  });

  it('lays an object flat on the chosen face', () => {
    // A wedge: its sloped face (triangle index found below) should end up on the bed.
    const wedge = Float32Array.from([
      0, 0, 0, 10, 0, 0, 0, 0, 10, // front, a right triangle in XZ
    ]);
    const object = { positions: wedge, placement: identityPlacement };
    const flat = { positions: wedge, placement: layFlat(object, 0) };
    const bounds = placedBounds(flat.positions, flat.placement);
    // The triangle now lies in the plane Z = 0.
    expect(bounds.min[2]).toBeCloseTo(0);
    expect(bounds.max[2]).toBeCloseTo(0);
  });

  it('lays a tilted cube back onto one of its faces', () => {
    const cube = cubeObject();
    const once = { ...cube, placement: rotateBy(cube, 0, 30) };
    const tilted = { ...cube, placement: rotateBy(once, 1, 20) };
    expect(placedBounds(tilted.positions, tilted.placement).max[2]).toBeGreaterThan(25);
    const flat = { ...cube, placement: layFlat(tilted, 2) };
    const bounds = placedBounds(flat.positions, flat.placement);
    expect(bounds.max[2] - bounds.min[2]).toBeCloseTo(20, 3);
    expect(bounds.min[2]).toBeCloseTo(0);
  });

  it('mirrors about the centre and reports the mirror', () => {
    const raw = Float32Array.from([0, 0, 0, 10, 0, 0, 0, 5, 0, 0, 0, 0, 0, 5, 0, 0, 0, 3]);
    const object = { positions: raw, placement: translatePlacement(identityPlacement, 100, 0, 0) };
    const mirrored = { positions: raw, placement: mirror(object, 0) };
    expect(isMirrored(mirrored.placement)).toBe(true);
    const before = placedBounds(raw, object.placement);
    const after = placedBounds(raw, mirrored.placement);
    close(after.min, before.min);
    close(after.max, before.max);
    expect(isMirrored(mirror(mirrored, 0))).toBe(false);
  });

  it('flags an object outside a rectangular volume', () => {
    const cube = { ...cubeObject(), placement: translatePlacement(identityPlacement, 110, 110, 0) };
    expect(isOutsideVolume(cube, ender)).toBe(false);
    expect(isOutsideVolume({ ...cube, placement: translatePlacement(cube.placement, 105, 0, 0) }, ender)).toBe(true);
    expect(isOutsideVolume({ ...cube, placement: translatePlacement(cube.placement, 0, 0, -1) }, ender)).toBe(true);
    expect(isOutsideVolume({ ...cube, placement: translatePlacement(cube.placement, 0, 0, 235) }, ender)).toBe(true);
    expect(isOutsideVolume({ ...cube, placement: scaleBy(cube, [13, 13, 13]) }, ender)).toBe(true);
  });

  it('flags an object in the corner of a circular bed that a box check would pass', () => {
    const cube = cubeObject();
    // Inside the bounding square of the 200 mm circle, but its corner pokes out of the circle.
    const corner = { ...cube, placement: translatePlacement(identityPlacement, 80, 80, 0) };
    expect(isOutsideVolume(corner, delta)).toBe(true);
    expect(isOutsideVolume({ ...cube, placement: identityPlacement }, delta)).toBe(false);
  });
});

describe('arranging', () => {
  it('packs objects without overlap, inside the bed, deterministically', () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ ...cubeObject(20 + i * 10, id) }));
    const first = arrangeObjects(items, ender);
    expect(first.overflow).toEqual([]);
    const placed = items.map((item) => ({ ...item, placement: first.placements.get(item.id)! }));
    const boxes = placed.map((item) => placedBounds(item.positions, item.placement));
    for (const box of boxes) {
      expect(box.min[0]).toBeGreaterThanOrEqual(-1e-6);
      expect(box.max[0]).toBeLessThanOrEqual(220 + 1e-6);
      expect(box.min[2]).toBeCloseTo(0);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const overlap = boxes[i].min[0] < boxes[j].max[0] && boxes[j].min[0] < boxes[i].max[0] && boxes[i].min[1] < boxes[j].max[1] && boxes[j].min[1] < boxes[i].max[1];
        expect(overlap).toBe(false);
      }
    }
    placed.forEach((item) => expect(isOutsideVolume(item, ender)).toBe(false));
    const second = arrangeObjects(placed, ender);
    for (const item of placed) close(second.placements.get(item.id)!, item.placement as number[]);
  });

  it('reports objects that do not fit', () => {
    const items = [cubeObject(150, 'big'), cubeObject(150, 'big2')];
    const result = arrangeObjects(items, ender);
    expect(result.overflow).toEqual(['big2']);
    const spilled = { ...items[1], placement: result.placements.get('big2')! };
    expect(isOutsideVolume(spilled, ender)).toBe(true);
  });

  it('uses the square inside a circular bed', () => {
    const items = [cubeObject(60, 'a'), cubeObject(60, 'b'), cubeObject(60, 'c')];
    const result = arrangeObjects(items, delta);
    for (const item of items) expect(isOutsideVolume({ ...item, placement: result.placements.get(item.id)! }, delta)).toBe(false);
  });

  it('finds a free spot next to an object already on the plate', () => {
    const first = { ...cubeObject(), placement: translatePlacement(identityPlacement, 110, 110, 0) };
    const second = cubeObject();
    const spot = findFreeSpot(second, [first], ender)!;
    const placed = { ...second, placement: translatePlacement(second.placement, spot[0], spot[1], 0) };
    const a = placedBounds(first.positions, first.placement);
    const b = placedBounds(placed.positions, placed.placement);
    const overlap = a.min[0] < b.max[0] && b.min[0] < a.max[0] && a.min[1] < b.max[1] && b.min[1] < a.max[1];
    expect(overlap).toBe(false);
    expect(isOutsideVolume(placed, ender)).toBe(false);
    expect(findFreeSpot(cubeObject(300), [], ender)).toBeNull();
  });
});

describe('undo and redo', () => {
  it('walks back and forth and drops redo after a new change', () => {
    const history = new PlateHistory<number>(3);
    history.record(1);
    history.record(2);
    expect(history.undo(3)).toBe(2);
    expect(history.undo(2)).toBe(1);
    expect(history.undo(1)).toBeNull();
    expect(history.redo(1)).toBe(2);
    history.record(2);
    expect(history.canRedo).toBe(false);
    for (let i = 0; i < 10; i++) history.record(i);
    let steps = 0;
    let state = 99;
    for (let s = history.undo(state); s !== null; s = history.undo(state)) {
      state = s;
      steps++;
    }
    expect(steps).toBe(3);
  });
});

describe('what the slicer receives', () => {
  it('writes the placed object as a binary STL in plate coordinates that reads back the same', () => {
    const cube = { ...cubeObject(), placement: translatePlacement(identityPlacement, 30, 40, 0) };
    const stl = new Uint8Array(plateObjectToStl(cube));
    expect(stl.byteLength).toBe(84 + 12 * 50);
    const outcome = importModel(stl, 'placed.stl');
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.model.bounds).toEqual({ min: [20, 30, 0], max: [40, 50, 20] });
    expect(outcome.model.report.signedVolume).toBeCloseTo(8000, 0);
    const normal = new DataView(stl.buffer).getFloat32(84 + 8, true);
    expect(normal).toBeCloseTo(-1); // the first face is the bottom one
  });

  it('keeps faces outward after a mirror', () => {
    const cube = { ...cubeObject(), placement: translatePlacement(identityPlacement, 100, 100, 0) };
    const mirrored = { ...cube, placement: mirror(cube, 1) };
    const outcome = importModel(new Uint8Array(plateObjectToStl(mirrored)), 'mirrored.stl');
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.model.report.signedVolume).toBeCloseTo(8000, 0);
    expect(outcome.model.report.misorientedEdges).toBe(0);
  });

  it('offers the bed-centre frame CuraEngine expects', () => {
    expect(curaEngineOffset(ender)).toEqual([-110, -110, 0]);
    expect(curaEngineOffset(delta)).toEqual([-0, -0, 0]);
    const cube = { ...cubeObject(), placement: translatePlacement(identityPlacement, 110, 110, 0) };
    const [mesh] = plateSliceMeshes([cube], curaEngineOffset(ender));
    const outcome = importModel(new Uint8Array(mesh.stl), 'centred.stl');
    expect(outcome.ok && outcome.model.bounds).toEqual({ min: [-10, -10, 0], max: [10, 10, 20] });
    expect(mesh.extruder).toBe(0);
  });

  it('names the objects that block slicing', () => {
    const inside = cubeObject(20, 'Inside');
    const outside = { ...cubeObject(20, 'Bracket'), outsideVolume: true };
    expect(objectsOutsideVolume([inside, outside])).toEqual(['Bracket']);
    expect(outsideVolumeMessage(['Bracket'])).toContain('"Bracket" is outside');
    expect(outsideVolumeMessage([])).toBeNull();
  });
});
