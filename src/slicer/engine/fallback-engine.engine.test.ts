// The fallback engine (CuraEngine of December 2020 from cura-wasm 1.5.2, built on demand into the cache)
// still slices, with settings resolved from its own definitions: the app can ship it when CuraEngine 5.13
// cannot be built.
import { describe, expect, it } from 'vitest';
import { encodeBinaryStl } from '../../models/stl-writer.js';
import { runSliceJob } from './slice-job.js';
import { boxTriangles } from './testing/box-mesh.js';
import { fallbackEngineUnderTest } from './testing/engine-under-test.js';

describe('the fallback engine', () => {
  it('slices a 20 mm cube on the Ender 3 with its own definitions', async () => {
    const engine = await fallbackEngineUnderTest();
    expect(engine.compiled.description).toMatchObject({ kind: 'cura-wasm-2020', engine: 'CuraEngine master 2020-12 from cura-wasm 1.5.2' });
    const settings = await engine.settingsFor('creality_ender3', { layer_height: 0.2 });
    const stl = encodeBinaryStl(boxTriangles([107.5, 107.5, 0], [127.5, 127.5, 20]));
    const outcome = await runSliceJob(
      { machineDefinitionId: 'creality_ender3', settings, meshes: [{ name: 'Cube', extruder: 0, stl }] },
      { createEngine: (hooks) => engine.createEngine(hooks), loadDefinition: engine.loadDefinition },
    );
    if (!outcome.ok) throw new Error(`${outcome.error.message}\n${outcome.error.detail ?? ''}`);
    const gcode = new TextDecoder().decode(outcome.result.gcode);
    expect(gcode.startsWith(';FLAVOR:Marlin\n')).toBe(true);
    expect(gcode).toContain(';Sliceport engine: CuraEngine master 2020-12 from cura-wasm 1.5.2');
    expect(gcode).not.toContain(';TIME:6666');
    expect(outcome.result.metadata.layerCount).toBeGreaterThanOrEqual(99);
    expect(outcome.result.metadata.layerCount).toBeLessThanOrEqual(101);
    expect(outcome.result.metadata.bounds!.max[2]).toBeCloseTo(20, 0);
    expect(outcome.result.metadata.printSeconds).toBeGreaterThan(60);
  });
});
