// Turns the Prepare view's plate into a slice request: each object's triangles with its placement
// applied, as binary STL in plate coordinates, and the reasons slicing must be refused, in words.
import { buildVolumeFromSettings, whyOutsideVolume } from './engine/build-volume.js';
import { placedBounds, placedPositions } from '../models/placement/placed-mesh.js';
import { encodeBinaryStl } from '../models/stl-writer.js';
import type { EngineSettings, SliceMesh, SliceRequest } from './slice-api.js';
import type { PlateObject } from '../models/plate-types.js';

export type PlateObjectInput = Pick<PlateObject, 'name' | 'positions' | 'placement' | 'extruder' | 'outsideVolume'>;

export interface PlateForSlicing {
  machineDefinitionId: string | null;
  engineSettings: EngineSettings | null | undefined;
  settingErrors: readonly { key: string; message: string }[] | undefined;
  objects: readonly PlateObjectInput[];
}

export type SliceRequestOrRefusal = { ok: true; request: SliceRequest } | { ok: false; reason: string };

/** Why the plate cannot be sliced as it is, in words; null when it can. */
export function sliceRefusal(plate: PlateForSlicing): string | null {
  const prepared = preparePlate(plate, false);
  return prepared.ok ? null : prepared.reason;
}

export function sliceRequestFromPlate(plate: PlateForSlicing): SliceRequestOrRefusal {
  return preparePlate(plate, true);
}

function preparePlate(plate: PlateForSlicing, encode: boolean): SliceRequestOrRefusal {
  if (!plate.machineDefinitionId) return { ok: false, reason: 'Choose a printer first.' };
  if (!plate.engineSettings) return { ok: false, reason: 'The printer settings are not ready yet.' };
  const errors = plate.settingErrors ?? [];
  if (errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return { ok: false, reason: `Fix the settings first: ${first.message.replace(/\.$/, '')}${more}.` };
  }
  if (plate.objects.length === 0) return { ok: false, reason: 'Add a model to the plate first.' };
  const volume = buildVolumeFromSettings(plate.engineSettings.global);
  const meshes: SliceMesh[] = [];
  for (const object of plate.objects) {
    if (object.outsideVolume) return { ok: false, reason: `"${object.name}" is outside the build volume. Move or scale it onto the plate.` };
    if (object.positions.length < 9) return { ok: false, reason: `"${object.name}" has no triangles.` };
    if (typeof volume !== 'string') {
      const bounds = placedBounds(object.positions, object.placement);
      const why = whyOutsideVolume(() => placedPositions(object.positions, object.placement), bounds, volume);
      if (why) return { ok: false, reason: `"${object.name}" is outside the build volume (${why}). Move or scale it onto the plate.` };
    }
    // The plate's own writer: placement applied, winding kept outward for mirrored objects.
    if (encode) meshes.push({ name: object.name, extruder: object.extruder, stl: encodeBinaryStl(object.positions, object.placement, object.name) });
  }
  return { ok: true, request: { machineDefinitionId: plate.machineDefinitionId, settings: plate.engineSettings, meshes } };
}

/** "1 h 05 min", "12 min", "45 s". */
export function formatPrintTime(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.round(total / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
