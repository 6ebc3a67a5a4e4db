// What the slicer receives from the plate. Meshes are in plate coordinates (see plate-frame.ts), which
// match the G-code's; `engineOffset` converts to the frame a particular engine expects.
import type { SliceMesh } from '../../slicer/slice-api.js';
import type { BuildVolume, PlateObject } from '../plate-types.js';
import { encodeBinaryStl } from '../stl-writer.js';
import { bedCentre } from './plate-frame.js';

/** Binary STL of one plate object, placement applied, in plate coordinates (mm, Z up, G-code origin). */
export function plateObjectToStl(object: PlateObject, offset: [number, number, number] = [0, 0, 0]): ArrayBuffer {
  return encodeBinaryStl(object.positions, object.placement, object.name.replace(/^solid/i, ''), offset);
}

/**
 * CuraEngine takes meshes relative to the bed centre and adds half the bed itself when the machine's
 * origin is at a corner (`machine_center_is_zero` false). This is the offset that undoes the difference.
 */
export function curaEngineOffset(volume: BuildVolume): [number, number, number] {
  const [cx, cy] = bedCentre(volume);
  return [-cx, -cy, 0];
}

/** The names of the objects that would print outside the volume; slicing must be refused if any. */
export function objectsOutsideVolume(objects: readonly PlateObject[]): string[] {
  return objects.filter((object) => object.outsideVolume).map((object) => object.name);
}

export function outsideVolumeMessage(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const list = names.map((name) => `"${name}"`).join(', ');
  return names.length === 1
    ? `${list} is outside the printer's build volume. Move it onto the bed (it is shown in red) and slice again.`
    : `${list} are outside the printer's build volume. Move them onto the bed (they are shown in red) and slice again.`;
}

export function plateSliceMeshes(objects: readonly PlateObject[], offset: [number, number, number] = [0, 0, 0]): SliceMesh[] {
  return objects.map((object) => ({ name: object.name, stl: plateObjectToStl(object, offset), extruder: object.extruder }));
}
