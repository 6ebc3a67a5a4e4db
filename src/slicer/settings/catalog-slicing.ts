// Slicing on catalog printers in Node, the way the app does it: settings resolved from the built catalog
// (the same bundles the browser fetches), sent complete to the engine built into public/engine/, through
// the same slice job the worker runs. Used by the catalog-wide check (`npm run -s slice-catalog`) and
// by the engine tests on catalog machines.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngineInstance, type CompiledEngine } from '../../../wasm/engine-loader.js';
import { loadEngineFromDisk, repositoryRoot } from '../../../wasm/node-engine.js';
import { encodeBinaryStl } from '../../models/stl-writer.js';
import { definitionLoaderFrom } from '../engine/definition-loader.js';
import { runSliceJob } from '../engine/slice-job.js';
import type { SliceMesh, SliceOutcome } from '../slice-api.js';
import { buildEngineSettings } from './engine-settings.js';
import { loadSettingStacks } from './load-settings.js';
import { NodeDefinitionSource } from './node-definition-source.js';
import { GLOBAL, type SettingStacks } from './setting-stacks.js';
import type { SettingChanges } from './user-changes.js';

/** What public/engine/engine.json says about the engine there, or null when none is built. */
export function builtEngineDescription(): string | null {
  const path = join(repositoryRoot, 'public', 'engine', 'engine.json');
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** Whether the engine in public/engine/ is CuraEngine 5.13.0 (the one the Cura 5.13 catalog is for). */
export function builtEngineIs513(): boolean {
  const description = builtEngineDescription();
  if (!description) return false;
  const json = JSON.parse(description) as Record<string, unknown>;
  return /\b5\.13\.0\b/.test(String(json.engine ?? '')) || /\b5\.13\.0\b/.test(String(json.version ?? '')) || /\b5\.13\.0\b/.test(String(json.source ?? ''));
}

/** A box as triangles, from `min` to `max` (plate coordinates, mm). */
function boxTriangles(min: readonly number[], max: readonly number[]): Float32Array {
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const c = [
    [x0, y0, z0], [x1, y0, z0], [x1, y1, z0], [x0, y1, z0],
    [x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1],
  ];
  const faces = [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]];
  const out = new Float32Array(faces.length * 9);
  faces.forEach((face, f) => face.forEach((corner, k) => out.set(c[corner], f * 9 + k * 3)));
  return out;
}

/**
 * One cube per extruder in use (side by side around the bed centre, each printed by its extruder), small
 * enough for any bed: `size` mm, or less on a small printer.
 */
export function cubesForMachine(stacks: SettingStacks, size = 10): SliceMesh[] {
  const width = Number(stacks.value(GLOBAL, 'machine_width'));
  const depth = Number(stacks.value(GLOBAL, 'machine_depth'));
  const height = Number(stacks.value(GLOBAL, 'machine_height'));
  const count = stacks.extruderCount;
  const side = Math.min(size, width / (2 * count + 2), depth / 4, height / 2);
  const centred = stacks.value(GLOBAL, 'machine_center_is_zero') === true;
  const [cx, cy] = centred ? [0, 0] : [width / 2, depth / 2];
  const gap = side * 0.6;
  const total = count * side + (count - 1) * gap;
  const meshes: SliceMesh[] = [];
  for (let extruder = 0; extruder < count; extruder += 1) {
    const x0 = cx - total / 2 + extruder * (side + gap);
    const stl = encodeBinaryStl(boxTriangles([x0, cy - side / 2, 0], [x0 + side, cy + side / 2, side]), null, `cube ${extruder}`);
    meshes.push({ name: `Cube ${extruder + 1}`, extruder, stl });
  }
  return meshes;
}

/**
 * One ledge per extruder in use, 40 mm apart around the bed centre (each printed by its extruder): a
 * 20 × 20 × 10 mm block with a 3 mm slab on top sticking out 10 mm to the right, so walls, infill, skin
 * and an overhang that needs support from the bed. Falls back to cubes on a bed too small for them.
 */
export function ledgesForMachine(stacks: SettingStacks): SliceMesh[] {
  const width = Number(stacks.value(GLOBAL, 'machine_width'));
  const depth = Number(stacks.value(GLOBAL, 'machine_depth'));
  const count = stacks.extruderCount;
  if (width < count * 40 + 20 || depth < 40 || Number(stacks.value(GLOBAL, 'machine_height')) < 20) return cubesForMachine(stacks);
  const centred = stacks.value(GLOBAL, 'machine_center_is_zero') === true;
  const [cx, cy] = centred ? [0, 0] : [width / 2, depth / 2];
  const x0 = cx - (count * 40) / 2 + 5;
  return Array.from({ length: count }, (_, extruder) => {
    const x = x0 + extruder * 40;
    const y = cy - 10;
    const triangles = Float32Array.from([...boxTriangles([x, y, 0], [x + 20, y + 20, 10]), ...boxTriangles([x + 10, y, 10], [x + 30, y + 20, 13])]);
    return { name: `Ledge ${extruder + 1}`, extruder, stl: encodeBinaryStl(triangles, null, `ledge ${extruder}`) };
  });
}

export interface CatalogSliceResult {
  machine: string;
  extruders: number;
  /** sliced; refused (a setting out of its bounds, as the app would refuse); failed (the engine or the job). */
  outcome: 'sliced' | 'refused' | 'failed';
  message: string;
  seconds: number;
  layers?: number;
  gcode?: string;
}

export class CatalogSlicer {
  readonly source: NodeDefinitionSource;
  readonly #compiled: CompiledEngine;
  readonly #loadDefinition: ReturnType<typeof definitionLoaderFrom>;

  private constructor(compiled: CompiledEngine, source: NodeDefinitionSource) {
    this.#compiled = compiled;
    this.source = source;
    this.#loadDefinition = definitionLoaderFrom(source);
  }

  static async create(source = new NodeDefinitionSource()): Promise<CatalogSlicer> {
    return new CatalogSlicer(await loadEngineFromDisk(), source);
  }

  /** Slices `meshes` (default: a cube per extruder) on a catalog printer with the user's `changes`. */
  async slice(machineId: string, options: { changes?: SettingChanges; meshes?: (stacks: SettingStacks) => SliceMesh[]; keepGcode?: boolean } = {}): Promise<CatalogSliceResult> {
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    let stacks: SettingStacks;
    try {
      stacks = await loadSettingStacks(this.source, machineId, { changes: options.changes });
    } catch (error) {
      return { machine: machineId, extruders: 0, outcome: 'failed', message: `settings: ${error instanceof Error ? error.message : String(error)}`, seconds: elapsed() };
    }
    const extruders = stacks.extruderCount;
    const errors = stacks.errors();
    if (errors.length > 0) {
      const message = errors.map((error) => `${error.stack === 'global' ? '' : `extruder ${error.stack}: `}${error.message}`).join(' ');
      return { machine: machineId, extruders, outcome: 'refused', message, seconds: elapsed() };
    }
    const outcome: SliceOutcome = await runSliceJob(
      { machineDefinitionId: machineId, settings: buildEngineSettings(stacks, { now: new Date(0) }), meshes: (options.meshes ?? cubesForMachine)(stacks) },
      { createEngine: (hooks) => createEngineInstance(this.#compiled, hooks), loadDefinition: this.#loadDefinition },
    );
    if (!outcome.ok) {
      // The engine's last error line is in the message when it wrote one; otherwise the end of its log.
      const lastLine = (outcome.error.detail ?? '').split('\n').filter((line) => line.trim() && !line.includes(' -s ')).pop() ?? '';
      const detail = outcome.error.message.includes('It said:') || !lastLine ? '' : ` (${lastLine.slice(0, 200)})`;
      return { machine: machineId, extruders, outcome: 'failed', message: `${outcome.error.code}: ${outcome.error.message}${detail}`, seconds: elapsed() };
    }
    return {
      machine: machineId,
      extruders,
      outcome: 'sliced',
      message: '',
      seconds: elapsed(),
      layers: outcome.result.metadata.layerCount,
      gcode: options.keepGcode ? new TextDecoder().decode(outcome.result.gcode) : undefined,
    };
  }
}

/** A reproducible sample of `count` printers, at least `multi` of them with several extruders in use. */
export function sampleMachines(ids: readonly { id: string; extruderCount: number }[], count: number, multi: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (from: readonly { id: string }[], n: number) => {
    const pool = [...from];
    const out: string[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0].id);
    return out;
  };
  const several = pick(ids.filter((m) => m.extruderCount > 1), multi);
  const rest = pick(ids.filter((m) => !several.includes(m.id)), count - several.length);
  return [...several, ...rest];
}
