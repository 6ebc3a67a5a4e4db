// The build plate's intents (add, move, rotate, arrange, undo…) applied to the Prepare session. Plain
// logic over `prepareSession`, with no three.js or DOM, so it is tested in Node; the <sp-build-plate>
// element only draws the session and calls these methods.
import { soupBounds } from '../../models/mesh-checks.js';
import type { MeshWarning, ParsedModel } from '../../models/model-types.js';
import { arrangeObjects, findFreeSpot } from '../../models/placement/plate-arrangement.js';
import { bedCentre } from '../../models/placement/plate-frame.js';
import { identityPlacement, placedBounds } from '../../models/placement/placed-mesh.js';
import { PlateHistory } from '../../models/placement/plate-history.js';
import {
  centreMesh,
  centreOnBed,
  dropToBed,
  isOutsideVolume,
  layFlat,
  mirror,
  placementOf,
  poseOf,
  scaleBy,
  translatePlacement,
  withPose,
  type Pose,
} from '../../models/placement/plate-operations.js';
import type { BuildVolume, PlacementMatrix, PlateObject, PrepareSession } from '../prepare/prepare-session.js';

interface PlateSnapshot {
  objects: PlateObject[];
  selectedIds: string[];
}

let nextId = 1;
function newObjectId(): string {
  return `plate-${Date.now().toString(36)}-${(nextId++).toString(36)}`;
}

export interface AddedModel {
  ids: string[];
  /** Warnings about the model, to show beside it. */
  warnings: MeshWarning[];
  /** Set when the model did not fit anywhere free on the bed. */
  crowded: boolean;
}

export class PlateEditor {
  readonly history = new PlateHistory<PlateSnapshot>(100);
  /** Import warnings per plate object, kept for as long as the object is on the plate. */
  readonly warnings = new Map<string, MeshWarning[]>();

  constructor(readonly session: PrepareSession) {
    // The settings panel changes the machine (and so the volume) directly on the session.
    session.addEventListener('change', () => this.#refreshOutside());
  }

  get objects(): readonly PlateObject[] {
    return this.session.state.objects;
  }

  get selected(): PlateObject[] {
    const ids = new Set(this.session.state.selectedIds);
    return this.objects.filter((object) => ids.has(object.id));
  }

  object(id: string): PlateObject | undefined {
    return this.objects.find((object) => object.id === id);
  }

  #snapshot(): PlateSnapshot {
    return { objects: [...this.session.state.objects], selectedIds: [...this.session.state.selectedIds] };
  }

  #commit(objects: PlateObject[], selectedIds = this.session.state.selectedIds, record = true): void {
    if (record) this.history.record(this.#snapshot());
    const volume = this.session.state.volume;
    const flagged = objects.map((object) => {
      const outside = this.#outside(object, volume);
      return outside === object.outsideVolume ? object : { ...object, outsideVolume: outside };
    });
    const present = new Set(flagged.map((object) => object.id));
    for (const id of this.warnings.keys()) if (!present.has(id)) this.warnings.delete(id);
    this.session.update({ objects: flagged, selectedIds: selectedIds.filter((id) => present.has(id)) });
  }

  /**
   * The session changes often (selection, every settings edit), while an object's geometry, placement
   * and the volume rarely do: remember the answer per (positions, placement, volume).
   */
  #outsideCache = new WeakMap<Float32Array, { placement: PlacementMatrix; volume: string; outside: boolean }>();

  #outside(object: PlateObject, volume: BuildVolume): boolean {
    const key = `${volume.width}|${volume.depth}|${volume.height}|${volume.shape}|${volume.originAtCenter}`;
    const cached = this.#outsideCache.get(object.positions);
    if (cached && cached.placement === object.placement && cached.volume === key) return cached.outside;
    const outside = isOutsideVolume(object, volume);
    this.#outsideCache.set(object.positions, { placement: object.placement, volume: key, outside });
    return outside;
  }

  #refreshOutside(): void {
    const volume = this.session.state.volume;
    const objects = this.session.state.objects;
    if (!objects.some((object) => this.#outside(object, volume) !== object.outsideVolume)) return;
    this.#commit([...objects], this.session.state.selectedIds, false);
  }

  #change(ids: readonly string[], change: (object: PlateObject) => PlacementMatrix): void {
    const wanted = new Set(ids);
    if (wanted.size === 0) return;
    this.#commit(this.objects.map((object) => (wanted.has(object.id) ? { ...object, placement: change(object) } : object)));
  }

  /** Puts an imported model on the plate: one object per part, kept in their file's layout, on a free spot. */
  addModel(model: ParsedModel, modelId?: string): AddedModel {
    const volume = this.session.state.volume;
    const parts = model.parts.map((part) => {
      const bounds = soupBounds([part.positions]);
      const { positions, offset } = centreMesh(part.positions, bounds);
      return { name: part.name, positions, offset };
    });
    // The group's own footprint decides where it goes; each part keeps its offset within the group.
    const groupBounds = model.bounds;
    const [cx, cy] = bedCentre(volume);
    const groupCentre = [(groupBounds.min[0] + groupBounds.max[0]) / 2, (groupBounds.min[1] + groupBounds.max[1]) / 2];
    let added: PlateObject[] = parts.map((part, index) => ({
      id: newObjectId(),
      name: parts.length > 1 ? uniqueName(part.name || `${model.name} ${index + 1}`, index, parts) : model.name,
      ...(modelId ? { modelId } : {}),
      positions: part.positions,
      placement: translatePlacement(
        identityPlacement,
        part.offset[0] - groupCentre[0] + cx,
        part.offset[1] - groupCentre[1] + cy,
        part.offset[2] - groupBounds.min[2],
      ),
      extruder: 0,
      outsideVolume: false,
    }));
    let crowded = false;
    if (this.objects.length > 0) {
      const whole = { positions: concatenate(added.map((o) => placedCopy(o))), placement: identityPlacement };
      const spot = findFreeSpot(whole, this.objects, volume);
      if (spot) {
        added = added.map((object) => ({ ...object, placement: translatePlacement(object.placement, spot[0], spot[1], 0) }));
      } else {
        crowded = true;
      }
    }
    for (const object of added) this.warnings.set(object.id, model.warnings);
    this.#commit([...this.objects, ...added], added.map((object) => object.id));
    return { ids: added.map((object) => object.id), warnings: model.warnings, crowded };
  }

  select(ids: readonly string[]): void {
    this.session.update({ selectedIds: ids.filter((id) => this.object(id)) });
  }

  toggleSelection(id: string): void {
    const current = this.session.state.selectedIds;
    this.select(current.includes(id) ? current.filter((entry) => entry !== id) : [...current, id]);
  }

  /** For gizmo drags: call once when the drag starts so the whole drag is one undo step. */
  beginInteractiveChange(): void {
    this.history.record(this.#snapshot());
  }

  /** A placement from the gizmo; `record` false when `beginInteractiveChange` already recorded. */
  setPlacement(id: string, placement: PlacementMatrix, options: { record?: boolean; settle?: boolean } = {}): void {
    const objects = this.objects.map((object) => {
      if (object.id !== id) return object;
      const moved = { ...object, placement };
      return options.settle ? { ...moved, placement: dropToBed(moved) } : moved;
    });
    this.#commit(objects, this.session.state.selectedIds, options.record ?? true);
  }

  poseOf(id: string): Pose | null {
    const object = this.object(id);
    return object ? poseOf(object.placement) : null;
  }

  /** From the numeric fields. Moving Z by hand is honoured; rotating or scaling sets the object back down. */
  setPose(id: string, pose: Pose): void {
    const object = this.object(id);
    if (!object) return;
    const before = poseOf(object.placement);
    const onlyMoved =
      before.rotationDeg.every((v, i) => Math.abs(v - pose.rotationDeg[i]) < 1e-9) &&
      before.scale.every((v, i) => Math.abs(v - pose.scale[i]) < 1e-9);
    if (pose.scale.some((v) => !Number.isFinite(v) || v === 0)) return;
    this.#change([id], (target) => (onlyMoved ? placementOf(pose) : withPose(target, pose)));
  }

  move(ids: readonly string[], dx: number, dy: number, dz = 0): void {
    this.#change(ids, (object) => translatePlacement(object.placement, dx, dy, dz));
  }

  dropToBed(ids = this.session.state.selectedIds): void {
    this.#change(ids, (object) => dropToBed(object));
  }

  centre(ids = this.session.state.selectedIds): void {
    this.#change(ids, (object) => centreOnBed(object, this.session.state.volume));
  }

  mirror(axis: 0 | 1 | 2, ids = this.session.state.selectedIds): void {
    this.#change(ids, (object) => mirror(object, axis));
  }

  scale(factors: [number, number, number], ids = this.session.state.selectedIds): void {
    this.#change(ids, (object) => scaleBy(object, factors));
  }

  /** Applies a units fix (×25.4, ×1000) and forgets the warning that offered it. */
  applyUnitScale(id: string, factor: number): void {
    this.#change([id], (object) => centreOnBed({ ...object, placement: scaleBy(object, [factor, factor, factor]) }, this.session.state.volume));
    const remaining = (this.warnings.get(id) ?? []).filter((warning) => warning.suggestedScale === undefined);
    this.warnings.set(id, remaining);
    this.session.update({});
  }

  /** Which extruder prints the objects (machines with more than one). */
  setExtruder(extruder: number, ids = this.session.state.selectedIds): void {
    const wanted = new Set(ids);
    if (!Number.isInteger(extruder) || extruder < 0 || wanted.size === 0) return;
    this.#commit(this.objects.map((object) => (wanted.has(object.id) ? { ...object, extruder } : object)));
  }

  layFlat(id: string, triangle: number): void {
    this.#change([id], (object) => layFlat(object, triangle));
  }

  arrange(): void {
    const result = arrangeObjects(this.objects, this.session.state.volume);
    this.#commit(this.objects.map((object) => ({ ...object, placement: result.placements.get(object.id) ?? object.placement })));
  }

  duplicate(ids = this.session.state.selectedIds): string[] {
    const copies: PlateObject[] = [];
    const all = [...this.objects];
    for (const id of ids) {
      const source = this.object(id);
      if (!source) continue;
      const copy: PlateObject = { ...source, id: newObjectId(), name: `${source.name} copy`, outsideVolume: false };
      const spot = findFreeSpot({ positions: source.positions, placement: source.placement }, all, this.session.state.volume);
      // With no free spot left, the copy goes beside the original (and is flagged if that is off the bed).
      const bounds = placedBounds(source.positions, source.placement);
      copy.placement = spot
        ? translatePlacement(source.placement, spot[0], spot[1], 0)
        : translatePlacement(source.placement, bounds.max[0] - bounds.min[0] + 6, 0, 0);
      this.warnings.set(copy.id, this.warnings.get(id) ?? []);
      copies.push(copy);
      all.push(copy);
    }
    if (copies.length) this.#commit([...this.objects, ...copies], copies.map((copy) => copy.id));
    return copies.map((copy) => copy.id);
  }

  delete(ids = this.session.state.selectedIds): void {
    const doomed = new Set(ids);
    if (doomed.size === 0) return;
    this.#commit(this.objects.filter((object) => !doomed.has(object.id)), []);
  }

  clear(): void {
    if (this.objects.length) this.#commit([], []);
  }

  undo(): boolean {
    const previous = this.history.undo(this.#snapshot());
    if (!previous) return false;
    this.#commit(previous.objects, previous.selectedIds, false);
    return true;
  }

  redo(): boolean {
    const next = this.history.redo(this.#snapshot());
    if (!next) return false;
    this.#commit(next.objects, next.selectedIds, false);
    return true;
  }
}

function uniqueName(name: string, index: number, parts: readonly { name: string }[]): string {
  const same = parts.filter((part) => part.name === name).length;
  return same > 1 ? `${name} ${index + 1}` : name;
}

function placedCopy(object: PlateObject): Float32Array {
  const e = object.placement;
  const p = object.positions;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    out[i] = e[0] * p[i] + e[4] * p[i + 1] + e[8] * p[i + 2] + e[12];
    out[i + 1] = e[1] * p[i] + e[5] * p[i + 1] + e[9] * p[i + 2] + e[13];
    out[i + 2] = e[2] * p[i] + e[6] * p[i + 1] + e[10] * p[i + 2] + e[14];
  }
  return out;
}

function concatenate(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    out.set(array, offset);
    offset += array.length;
  }
  return out;
}
