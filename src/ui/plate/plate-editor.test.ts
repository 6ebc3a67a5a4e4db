import { describe, expect, it } from 'vitest';
import { cubeThreeMfBytes, binaryStlBytes, cubeTriangles } from '../../models/fixtures/model-fixtures.js';
import { importModel } from '../../models/import-model.js';
import type { ParsedModel } from '../../models/model-types.js';
import { placedBounds } from '../../models/placement/placed-mesh.js';
import { placementOf, poseOf, translatePlacement } from '../../models/placement/plate-operations.js';
import { objectsOutsideVolume } from '../../models/placement/slice-meshes.js';
import { PrepareSession } from '../prepare/prepare-session.js';
import { PlateEditor } from './plate-editor.js';

function model(bytes: Uint8Array, name: string): ParsedModel {
  const outcome = importModel(bytes, name);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.model;
}

const cube = () => model(binaryStlBytes(cubeTriangles(20, [-48, -50, -31])), 'Cube.stl');
const bounds = (editor: PlateEditor, id: string) => {
  const object = editor.object(id)!;
  return placedBounds(object.positions, object.placement);
};

describe('the plate editor', () => {
  it('adds a model centred on the bed, standing on it, selected', () => {
    const editor = new PlateEditor(new PrepareSession());
    const { ids } = editor.addModel(cube(), 'model-1');
    expect(editor.session.state.selectedIds).toEqual(ids);
    const b = bounds(editor, ids[0]);
    expect(b.min.map((v) => Math.round(v * 1000) / 1000)).toEqual([100, 100, 0]);
    expect(editor.object(ids[0])!.modelId).toBe('model-1');
    expect(editor.object(ids[0])!.name).toBe('Cube');
  });

  it('puts a second model where it does not overlap the first', () => {
    const editor = new PlateEditor(new PrepareSession());
    const [a] = editor.addModel(cube()).ids;
    const [b] = editor.addModel(cube()).ids;
    const first = bounds(editor, a);
    const second = bounds(editor, b);
    const overlap = first.min[0] < second.max[0] && second.min[0] < first.max[0] && first.min[1] < second.max[1] && second.min[1] < first.max[1];
    expect(overlap).toBe(false);
    expect(editor.objects.every((object) => !object.outsideVolume)).toBe(true);
  });

  it('keeps a multi-item 3MF as separate objects in their layout', () => {
    const editor = new PlateEditor(new PrepareSession());
    const bytes = cubeThreeMfBytes(10, [{ transform: '1 0 0 0 1 0 0 0 1 0 0 0' }, { transform: '1 0 0 0 1 0 0 0 1 30 0 0' }]);
    const { ids } = editor.addModel(model(bytes, 'pair.3mf'));
    expect(ids).toHaveLength(2);
    expect(bounds(editor, ids[1]).min[0] - bounds(editor, ids[0]).min[0]).toBeCloseTo(30);
  });

  it('flags an object moved off the bed, names it for the slicer, and undo brings it back', () => {
    const editor = new PlateEditor(new PrepareSession());
    const [id] = editor.addModel(cube()).ids;
    editor.move([id], 200, 0);
    expect(editor.object(id)!.outsideVolume).toBe(true);
    expect(objectsOutsideVolume(editor.objects)).toEqual(['Cube']);
    expect(editor.undo()).toBe(true);
    expect(editor.object(id)!.outsideVolume).toBe(false);
    expect(editor.redo()).toBe(true);
    expect(editor.object(id)!.outsideVolume).toBe(true);
  });

  it('re-checks objects when the machine (and so the volume) changes', () => {
    const session = new PrepareSession();
    const editor = new PlateEditor(session);
    const [id] = editor.addModel(cube()).ids;
    editor.move([id], 60, 60);
    expect(editor.object(id)!.outsideVolume).toBe(false);
    session.update({ volume: { width: 150, depth: 150, height: 150, shape: 'rectangular', originAtCenter: false } });
    expect(editor.object(id)!.outsideVolume).toBe(true);
  });

  it('duplicates, mirrors, deletes and undoes each step', () => {
    const editor = new PlateEditor(new PrepareSession());
    const [id] = editor.addModel(cube()).ids;
    const [copy] = editor.duplicate([id]);
    expect(editor.objects).toHaveLength(2);
    expect(editor.object(copy)!.name).toBe('Cube copy');
    editor.mirror(0, [copy]);
    editor.delete([id]);
    expect(editor.objects.map((o) => o.id)).toEqual([copy]);
    editor.undo();
    editor.undo();
    editor.undo();
    expect(editor.objects.map((o) => o.id)).toEqual([id]);
    expect(editor.undo()).toBe(true);
    expect(editor.objects).toHaveLength(0);
    expect(editor.undo()).toBe(false);
  });

  it('sets a pose from numeric fields and sets rotated objects back on the bed', () => {
    const editor = new PlateEditor(new PrepareSession());
    const [id] = editor.addModel(cube()).ids;
    const pose = editor.poseOf(id)!;
    editor.setPose(id, { ...pose, position: [50, 60, 5] });
    expect(bounds(editor, id).min[2]).toBeCloseTo(5);
    editor.setPose(id, { ...editor.poseOf(id)!, rotationDeg: [45, 0, 0] });
    expect(bounds(editor, id).min[2]).toBeCloseTo(0);
    editor.setPose(id, { ...editor.poseOf(id)!, scale: [0, 1, 1] });
    expect(bounds(editor, id).max[2]).toBeGreaterThan(20);
  });

  it('applies the suggested unit scale and drops the warning', () => {
    const editor = new PlateEditor(new PrepareSession());
    const small = model(binaryStlBytes(cubeTriangles(2)), 'inch.stl');
    const { ids, warnings } = editor.addModel(small);
    expect(warnings.some((w) => w.suggestedScale === 25.4)).toBe(true);
    editor.applyUnitScale(ids[0], 25.4);
    const b = bounds(editor, ids[0]);
    expect(b.max[0] - b.min[0]).toBeCloseTo(50.8, 3);
    expect(editor.warnings.get(ids[0])!.some((w) => w.suggestedScale)).toBe(false);
  });

  it('arranges everything onto the bed', () => {
    const editor = new PlateEditor(new PrepareSession());
    for (let i = 0; i < 4; i++) editor.addModel(cube());
    editor.move(editor.objects.map((o) => o.id), 400, 0);
    expect(editor.objects.every((o) => o.outsideVolume)).toBe(true);
    editor.arrange();
    expect(editor.objects.every((o) => !o.outsideVolume)).toBe(true);
  });

  it('makes a whole gizmo drag one undo step, and settles turned objects on the bed', () => {
    const editor = new PlateEditor(new PrepareSession());
    const [id] = editor.addModel(cube()).ids;
    const start = editor.object(id)!.placement;
    editor.beginInteractiveChange();
    editor.setPlacement(id, translatePlacement(start, 5, 0, 0), { record: false });
    editor.setPlacement(id, translatePlacement(start, 10, 0, 0), { record: false });
    expect(bounds(editor, id).min[0]).toBeCloseTo(110);
    editor.undo();
    expect(editor.object(id)!.placement).toEqual(start);
    // A rotation from the gizmo that sinks the object into the bed is lifted back onto it.
    const pose = poseOf(start);
    editor.setPlacement(id, placementOf({ ...pose, rotationDeg: [0, 45, 0] }), { settle: true });
    expect(bounds(editor, id).min[2]).toBeCloseTo(0);
  });

  it('assigns an extruder, with undo', () => {
    const editor = new PlateEditor(new PrepareSession());
    const [id] = editor.addModel(cube()).ids;
    editor.setExtruder(1, [id]);
    expect(editor.object(id)!.extruder).toBe(1);
    editor.setExtruder(-1, [id]);
    expect(editor.object(id)!.extruder).toBe(1);
    editor.undo();
    expect(editor.object(id)!.extruder).toBe(0);
  });
});
