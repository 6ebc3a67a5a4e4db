// Slicing with the real engine in Node: what the user changes reaches the G-code, and failures come back
// as messages a person can act on.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineSettings, SliceOutcome, SliceRequest } from '../slice-api.js';
import { bedCentreOf, buildVolumeFromSettings } from './build-volume.js';
import { encodeBinaryStl } from '../../models/stl-writer.js';
import { runSliceJob } from './slice-job.js';
import { boxTriangles, sphereTriangles } from './testing/box-mesh.js';
import { infillLineSpacing } from './testing/infill-spacing.js';
import { mainEngineUnderTest, type EngineUnderTest } from './testing/engine-under-test.js';

const machine = 'creality_ender3';
let engine: EngineUnderTest;

beforeAll(async () => {
  engine = await mainEngineUnderTest();
});

/** Settings resolved from the definitions of the engine under test. */
function resolvedSettingsForTest(machineId: string, changes: Record<string, number | string | boolean>): Promise<EngineSettings> {
  return engine.settingsFor(machineId, changes);
}

/** The Ender 3's bed centre in plate coordinates (the G-code frame: X0 Y0 at the front-left corner). */
const centre: [number, number] = [117.5, 117.5];

function cube(name: string, size: number, at: [number, number] = centre, z0 = 0) {
  const half = size / 2;
  return {
    name,
    extruder: 0,
    stl: encodeBinaryStl(boxTriangles([at[0] - half, at[1] - half, z0], [at[0] + half, at[1] + half, z0 + size])),
  };
}

async function slice(settings: EngineSettings, meshes: SliceRequest['meshes'], maxHeapBytes?: number): Promise<SliceOutcome> {
  return runSliceJob(
    { machineDefinitionId: machine, settings, meshes },
    {
      createEngine: (hooks) => engine.createEngine(hooks, maxHeapBytes),
      loadDefinition: engine.loadDefinition,
    },
  );
}

function text(outcome: SliceOutcome): string {
  if (!outcome.ok) throw new Error(`slice failed: ${outcome.error.message}\n${outcome.error.detail ?? ''}`);
  return new TextDecoder().decode(outcome.result.gcode);
}

describe('slicing a generated cube with CuraEngine', () => {
  it('a changed layer height changes the layer count', async () => {
    const coarse = await slice(await resolvedSettingsForTest(machine, { layer_height: 0.3 }), [cube('Cube', 20)]);
    const fine = await slice(await resolvedSettingsForTest(machine, { layer_height: 0.1 }), [cube('Cube', 20)]);
    const coarseLayers = Number(/;LAYER_COUNT:(\d+)/.exec(text(coarse))?.[1]);
    const fineLayers = Number(/;LAYER_COUNT:(\d+)/.exec(text(fine))?.[1]);
    if (!coarse.ok || !fine.ok) throw new Error('unreachable');
    expect(coarse.result.metadata.layerCount).toBe(coarseLayers);
    expect(fine.result.metadata.layerCount).toBe(fineLayers);
    // 20 mm: a first layer, then the rest at the chosen height.
    expect(coarseLayers).toBeGreaterThanOrEqual(66);
    expect(coarseLayers).toBeLessThanOrEqual(68);
    expect(fineLayers).toBeGreaterThanOrEqual(198);
    expect(fineLayers).toBeLessThanOrEqual(201);
  });

  it('a changed infill density changes the spacing of the infill lines', async () => {
    const sparseSettings = await resolvedSettingsForTest(machine, { infill_sparse_density: 15 });
    const denseSettings = await resolvedSettingsForTest(machine, { infill_sparse_density: 40 });
    const sparse = infillLineSpacing(text(await slice(sparseSettings, [cube('Cube', 30)])), 40);
    const dense = infillLineSpacing(text(await slice(denseSettings, [cube('Cube', 30)])), 40);
    expect(sparse).not.toBeNull();
    expect(dense).not.toBeNull();
    // The measured spacing is the resolved infill_line_distance: the derived value reached the engine.
    expect(sparse!).toBeCloseTo(Number(sparseSettings.extruders[0].infill_line_distance), 0);
    expect(dense!).toBeCloseTo(Number(denseSettings.extruders[0].infill_line_distance), 0);
    expect(sparse! / dense!).toBeGreaterThan(1.5);
  });

  it('reports time, filament, layers and bounds, and writes them into the G-code header', async () => {
    const outcome = await slice(await resolvedSettingsForTest(machine, {}), [cube('Cube', 20)]);
    const gcode = text(outcome);
    if (!outcome.ok) throw new Error('unreachable');
    const { metadata } = outcome.result;
    expect(metadata.printSeconds).toBeGreaterThan(60);
    expect(gcode).toContain(`;TIME:${metadata.printSeconds}`);
    expect(gcode).not.toContain(';TIME:6666');
    expect(metadata.filamentMm).toBeGreaterThan(500);
    // grams = length × filament cross-section × PLA density
    expect(metadata.filamentGrams).toBeCloseTo((metadata.filamentMm * Math.PI * 0.875 ** 2 * 1.24) / 1000, 3);
    // A cube placed at the bed centre in plate coordinates is printed there.
    expect(metadata.bounds).not.toBeNull();
    const centre = (axis: number) => (metadata.bounds!.min[axis] + metadata.bounds!.max[axis]) / 2;
    expect(centre(0)).toBeCloseTo(117.5, 0);
    expect(centre(1)).toBeCloseTo(117.5, 0);
    expect(metadata.bounds!.max[2]).toBeCloseTo(20, 0);
  });

  it('refuses a model outside the build volume, naming it', async () => {
    const outcome = await slice(await resolvedSettingsForTest(machine, {}), [cube('Cube', 20), cube('Tall tower', 20, [240, 117.5])]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('outside-volume');
    expect(outcome.error.message).toContain('"Tall tower" is outside the build volume');
  });

  it('says there is nothing to print when the model yields no layers', async () => {
    const outcome = await slice(await resolvedSettingsForTest(machine, {}), [
      { name: 'Sheet', extruder: 0, stl: encodeBinaryStl(boxTriangles([107.5, 107.5, 0], [127.5, 127.5, 0.02])) },
    ]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('nothing-to-print');
  });

  it('after an engine failure, the next slice works (fresh instance)', async () => {
    const broken = await resolvedSettingsForTest(machine, {});
    // A non-numeric integer makes the engine abort: exactly what must never reach it from the UI.
    broken.global.wall_line_count = 'three';
    broken.extruders[0].wall_line_count = 'three';
    const failed = await slice(broken, [cube('Cube', 20)]);
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe('engine-failure');
    expect(failed.error.message).toMatch(/exit code \d+/);
    const next = await slice(await resolvedSettingsForTest(machine, {}), [cube('Cube', 20)]);
    expect(next.ok).toBe(true);
  });

  it('slices on a machine whose files refer to ids in another case (101Hero, origin at the centre)', async () => {
    const settings = await resolvedSettingsForTest('101hero', {});
    const volume = buildVolumeFromSettings(settings.global);
    if (typeof volume === 'string') throw new Error(volume);
    expect(volume.originAtCenter).toBe(true);
    const outcome = await runSliceJob(
      { machineDefinitionId: '101hero', settings, meshes: [cube('Cube', 10, bedCentreOf(volume))] },
      { createEngine: (hooks) => engine.createEngine(hooks), loadDefinition: engine.loadDefinition },
    );
    const gcode = text(outcome);
    if (!outcome.ok) throw new Error('unreachable');
    expect(outcome.result.metadata.layerCount).toBeGreaterThan(10);
    // Centre-origin machine: the cube prints around X0 Y0.
    const { min, max } = outcome.result.metadata.bounds!;
    expect((min[0] + max[0]) / 2).toBeCloseTo(0, 0);
    expect((min[1] + max[1]) / 2).toBeCloseTo(0, 0);
    expect(gcode).toContain(';FLAVOR:');
  });

  it('reports stages, and signs of life between the engine\'s own progress calls', async () => {
    const settings = await resolvedSettingsForTest(machine, {});
    const stages = new Set<string>();
    let signs = 0;
    const outcome = await runSliceJob(
      { machineDefinitionId: machine, settings, meshes: [cube('Cube', 20)] },
      {
        createEngine: (hooks) =>
          engine.createEngine({
            ...hooks,
            stillWorkingMs: 0,
            onStillWorking: () => {
              signs += 1;
              hooks.onStillWorking?.();
            },
          }),
        loadDefinition: engine.loadDefinition,
        onProgress: (progress) => stages.add(progress.stage),
      },
    );
    expect(outcome.ok).toBe(true);
    expect(signs).toBeGreaterThan(0);
    expect([...stages]).toEqual(expect.arrayContaining(['Preparing', 'Slicing', 'Slicing layers', 'Walls and skin', 'Writing G-code', 'Done']));
  });

  it('maps running out of memory to a plain message', async () => {
    // A finely tessellated ball needs far more than the 24 MiB the engine is allowed here.
    const ball = { name: 'Ball', extruder: 0, stl: encodeBinaryStl(sphereTriangles([117.5, 117.5, 40], 40, 400)) };
    const outcome = await slice(await resolvedSettingsForTest(machine, {}), [ball], 24 * 1024 * 1024);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('out-of-memory');
    expect(outcome.error.message).toContain('ran out of memory');
  });

  it('with CuraEngine 5.13: the final header comes first, names the engine, and the G-code prints the cube', async (context) => {
    if (engine.compiled.description.kind !== 'curaengine-5') {
      context.skip('public/engine holds the fallback engine, not CuraEngine 5.13');
      return;
    }
    const settings = await resolvedSettingsForTest(machine, { layer_height: 0.2, infill_sparse_density: 20 });
    let engineInfo: Record<string, unknown> | null = null;
    let sliceInfo: Record<string, unknown> | null = null;
    const progress: number[] = [];
    const outcome = await runSliceJob(
      { machineDefinitionId: machine, settings, meshes: [cube('Cube', 20)] },
      {
        createEngine: (hooks) =>
          engine.createEngine({
            ...hooks,
            onEngineInfo: (info) => (engineInfo = info),
            onSliceInfo: (info) => (sliceInfo = info),
            onProgress: (fraction) => {
              progress.push(fraction);
              hooks.onProgress?.(fraction);
            },
          }),
        loadDefinition: engine.loadDefinition,
        catalog: 'Cura resources 5.13.0 (setting_version 27)',
      },
    );
    const gcode = text(outcome);
    if (!outcome.ok) throw new Error('unreachable');
    const lines = gcode.split('\n');
    // The header the engine sent at the end, with the true figures, at the very top.
    expect(lines[0]).toBe(';FLAVOR:Marlin');
    expect(lines[1]).toBe(`;TIME:${outcome.result.metadata.printSeconds}`);
    expect(gcode).toContain(';Sliceport engine: CuraEngine 5.13.0\n;Sliceport catalog: Cura resources 5.13.0 (setting_version 27)\n');
    expect(gcode).toContain(';Generated with Cura_SteamEngine 5.13.0');
    expect(engineInfo).toMatchObject({ version: '5.13.0' });
    expect(sliceInfo).toHaveProperty('time_estimates');
    // Progress rises to the end.
    expect(progress.length).toBeGreaterThan(10);
    expect(Math.max(...progress)).toBeCloseTo(1, 5);
    // 20 mm at 0.2 mm: 100 layers; the print (cube and skirt) is centred where the cube was placed.
    expect(outcome.result.metadata.layerCount).toBeGreaterThanOrEqual(99);
    expect(outcome.result.metadata.layerCount).toBeLessThanOrEqual(101);
    const { min, max } = outcome.result.metadata.bounds!;
    expect((min[0] + max[0]) / 2).toBeCloseTo(117.5, 0);
    expect((min[1] + max[1]) / 2).toBeCloseTo(117.5, 0);
    expect(max[0] - min[0]).toBeGreaterThanOrEqual(20);
    expect(max[2]).toBeCloseTo(20, 0);
    // The top layer's walls trace the cube's 20 mm sides.
    const lastLayer = gcode.slice(gcode.lastIndexOf(';LAYER:'));
    const xs = [...lastLayer.matchAll(/^G1 [^\n]*X([\d.]+)[^\n]*E/gm)].map((match) => Number(match[1]));
    expect(Math.min(...xs)).toBeGreaterThan(107);
    expect(Math.max(...xs)).toBeLessThan(128);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(18);
    // Temperatures from the resolved settings reach the start of the print.
    expect(gcode).toMatch(new RegExp(`M104 S${Number(settings.extruders[0].material_print_temperature_layer_0)}\\b`));
    expect(gcode).toMatch(/^G1 .*E\d/m);
    expect(outcome.result.metadata.filamentMm).toBeGreaterThan(500);
  });
});
