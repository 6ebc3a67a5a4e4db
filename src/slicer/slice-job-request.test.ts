import { describe, expect, it } from 'vitest';
import { boxTriangles } from './engine/testing/box-mesh.js';
import { decodeBinaryStl, boundsOf } from './engine/placed-mesh.js';
import { formatPrintTime, sliceRefusal, sliceRequestFromPlate, type PlateForSlicing } from './slice-job-request.js';

const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const settings = { global: { machine_width: '200', machine_depth: '200', machine_height: '200' }, extruders: [{}] };

function plate(patch: Partial<PlateForSlicing> = {}): PlateForSlicing {
  return {
    machineDefinitionId: 'creality_ender3',
    engineSettings: settings,
    settingErrors: [],
    objects: [{ name: 'Cube', positions: boxTriangles([95, 95, 0], [105, 105, 10]), placement: identity, extruder: 0, outsideVolume: false }],
    ...patch,
  };
}

describe('slice request from the plate', () => {
  it('places each object and encodes it as binary STL', () => {
    const moved = [...identity];
    moved[12] = 50;
    const prepared = sliceRequestFromPlate(plate({ objects: [{ ...plate().objects[0], placement: moved }] }));
    if (!prepared.ok) throw new Error(prepared.reason);
    const positions = decodeBinaryStl(prepared.request.meshes[0].stl);
    if (typeof positions === 'string') throw new Error(positions);
    expect(boundsOf(positions)!.min[0]).toBe(145);
  });

  it('refuses with reasons a person understands', () => {
    expect(sliceRefusal(plate({ machineDefinitionId: null }))).toBe('Choose a printer first.');
    expect(sliceRefusal(plate({ settingErrors: [{ key: 'layer_height', message: 'Layer Height must be at most 0.32 mm' }] }))).toBe(
      'Fix the settings first: Layer Height must be at most 0.32 mm.',
    );
    expect(sliceRefusal(plate({ objects: [] }))).toBe('Add a model to the plate first.');
    const far = [...identity];
    far[12] = 150; // x 245..255 on a 200 mm bed
    expect(sliceRefusal(plate({ objects: [{ ...plate().objects[0], name: 'Boat', placement: far }] }))).toMatch(
      /^"Boat" is outside the build volume/,
    );
    expect(sliceRefusal(plate({ objects: [{ ...plate().objects[0], name: 'Boat', outsideVolume: true }] }))).toMatch(/^"Boat" is outside/);
    expect(sliceRefusal(plate())).toBeNull();
  });

  it('formats print times', () => {
    expect(formatPrintTime(45)).toBe('45 s');
    expect(formatPrintTime(12 * 60)).toBe('12 min');
    expect(formatPrintTime(3900)).toBe('1 h 05 min');
  });
});
