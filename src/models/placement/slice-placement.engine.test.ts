// The plate's placement, end to end: objects moved, turned and mirrored on the plate are sliced by the
// real engine, and the G-code puts their walls where the plate showed them (plate coordinates = G-code
// coordinates). Uses the slicer's own test helpers and the engine built by `npm install`.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledEngine } from '../../../wasm/engine-loader.js';
import { createEngineInstance } from '../../../wasm/engine-loader.js';
import { loadEngineFromDisk, packageDefinitionLoader } from '../../../wasm/node-engine.js';
import { runSliceJob } from '../../slicer/engine/slice-job.js';
import { resolvedSettingsForTest } from '../../slicer/engine/testing/resolved-settings.js';
import { PrepareSession } from '../../ui/prepare/prepare-session.js';
import { PlateEditor } from '../../ui/plate/plate-editor.js';
import { binaryStlBytes } from '../fixtures/model-fixtures.js';
import { importModel } from '../import-model.js';
import { placedBounds } from './placed-mesh.js';
import { plateSliceMeshes } from './slice-meshes.js';

const machine = 'creality_ender3';
let compiled: CompiledEngine;

beforeAll(async () => {
  compiled = await loadEngineFromDisk();
});

/** An L-shaped block (not symmetric, so a mirror or a turn shows), 30 × 20 × 6 mm, corner at the origin. */
function lBlock(): Float32Array {
  const boxes: [number, number, number, number][] = [
    [0, 0, 30, 8],
    [0, 8, 8, 20],
  ];
  const out: number[] = [];
  for (const [x0, y0, x1, y1] of boxes) {
    const c = (x: number, y: number, z: number) => [x, y, z];
    const quads = [
      [c(x0, y0, 0), c(x0, y1, 0), c(x1, y1, 0), c(x1, y0, 0)],
      [c(x0, y0, 6), c(x1, y0, 6), c(x1, y1, 6), c(x0, y1, 6)],
      [c(x0, y0, 0), c(x1, y0, 0), c(x1, y0, 6), c(x0, y0, 6)],
      [c(x0, y1, 0), c(x0, y1, 6), c(x1, y1, 6), c(x1, y1, 0)],
      [c(x0, y0, 0), c(x0, y0, 6), c(x0, y1, 6), c(x0, y1, 0)],
      [c(x1, y0, 0), c(x1, y1, 0), c(x1, y1, 6), c(x1, y0, 6)],
    ];
    for (const [a, b, d, e] of quads) out.push(...a, ...b, ...d, ...a, ...d, ...e);
  }
  return Float32Array.from(out);
}

/** Extruding moves of the first layer, as start and end points. */
function firstLayerExtrusion(gcode: string): [number, number][] {
  const points: [number, number][] = [];
  let inFirst = false;
  let x = 0;
  let y = 0;
  let e = 0;
  for (const line of gcode.split('\n')) {
    if (line.startsWith(';LAYER:')) {
      if (inFirst) break;
      inFirst = line.trim() === ';LAYER:0';
      continue;
    }
    const move = /^G[01]\s/.exec(line);
    if (!move) continue;
    const word = (letter: string) => {
      const match = new RegExp(`${letter}(-?[\\d.]+)`).exec(line);
      return match ? Number(match[1]) : null;
    };
    const nx = word('X') ?? x;
    const ny = word('Y') ?? y;
    const ne = word('E');
    if (inFirst && ne !== null && ne > e) points.push([x, y], [nx, ny]);
    if (ne !== null) e = ne;
    x = nx;
    y = ny;
  }
  return points;
}

describe('what the plate shows is what the engine prints', () => {
  it('slices a moved, turned and mirrored object where the plate has it', async () => {
    const session = new PrepareSession();
    session.update({ volume: { width: 235, depth: 235, height: 250, shape: 'rectangular', originAtCenter: false } });
    const editor = new PlateEditor(session);
    const outcome = importModel(binaryStlBytes(lBlock()), 'L block.stl');
    if (!outcome.ok) throw new Error(outcome.error.message);
    const [id] = editor.addModel(outcome.model).ids;
    editor.mirror(0, [id]);
    const pose = editor.poseOf(id)!;
    editor.setPose(id, { ...pose, rotationDeg: [pose.rotationDeg[0], pose.rotationDeg[1], pose.rotationDeg[2] + 90] });
    editor.move([id], 60 - placedBounds(editor.object(id)!.positions, editor.object(id)!.placement).min[0], 0);
    const object = editor.object(id)!;
    expect(object.outsideVolume).toBe(false);
    const bounds = placedBounds(object.positions, object.placement);

    const settings = await resolvedSettingsForTest(machine, { adhesion_type: 'none', wall_line_count: 1 });
    const sliced = await runSliceJob(
      { machineDefinitionId: machine, settings, meshes: plateSliceMeshes(editor.objects) },
      { createEngine: (hooks) => createEngineInstance(compiled, hooks), loadDefinition: packageDefinitionLoader() },
    );
    if (!sliced.ok) throw new Error(`${sliced.error.message} ${sliced.error.detail ?? ''}`);
    const points = firstLayerExtrusion(new TextDecoder().decode(sliced.result.gcode));
    expect(points.length).toBeGreaterThan(10);
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    // The outer wall runs half a line width (0.2 mm) inside the surface.
    expect(Math.min(...xs)).toBeCloseTo(bounds.min[0] + 0.2, 0);
    expect(Math.max(...xs)).toBeCloseTo(bounds.max[0] - 0.2, 0);
    expect(Math.min(...ys)).toBeCloseTo(bounds.min[1] + 0.2, 0);
    expect(Math.max(...ys)).toBeCloseTo(bounds.max[1] - 0.2, 0);
    // The first layer is solid, so a point inside the L has extrusion right beside it and a point in
    // the L's empty corner has none: the G-code has the same mirrored, turned shape as the plate.
    const e = object.placement;
    // Stored vertices are centred on the footprint: the model's (x, y) is (x - 15, y - 10) here.
    const onPlate = (x: number, y: number): [number, number] => [
      e[0] * (x - 15) + e[4] * (y - 10) + e[12],
      e[1] * (x - 15) + e[5] * (y - 10) + e[13],
    ];
    // Points come in pairs: the start and end of each extruding move.
    const near = ([x, y]: [number, number], reach: number) => {
      for (let i = 0; i + 1 < points.length; i += 2) {
        const [ax, ay] = points[i];
        const [bx, by] = points[i + 1];
        const length = (bx - ax) ** 2 + (by - ay) ** 2;
        const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length));
        if (Math.hypot(ax + t * (bx - ax) - x, ay + t * (by - ay) - y) < reach) return true;
      }
      return false;
    };
    expect(near(onPlate(4, 16), 1)).toBe(true); // the short arm
    expect(near(onPlate(25, 4), 1)).toBe(true); // the end of the long arm
    expect(near(onPlate(22, 16), 3)).toBe(false); // the empty corner
  }, 120_000);
});
