// Fully resolved engine settings for tests and benchmarks, from the same resolver the app uses: every
// setting of the machine, with the given user changes (global ones in the global stack, per-extruder
// ones in extruder 0's stack, as Cura stores a change made in its settings panel).
import { buildEngineSettings } from '../../settings/engine-settings.js';
import { loadSettingStacks } from '../../settings/load-settings.js';
import { NodeDefinitionSource } from '../../settings/node-definition-source.js';
import type { EngineSettings } from '../../slice-api.js';

type Changes = Record<string, number | string | boolean>;

const source = new NodeDefinitionSource();

/** Settings Cura keeps per extruder when changed in its panel (the model prints with that extruder). */
const perExtruder = new Set(['infill_sparse_density', 'infill_pattern', 'wall_thickness', 'top_bottom_thickness', 'speed_print']);

export async function resolvedSettingsForTest(machine: string, changes: Changes): Promise<EngineSettings> {
  const global: Record<string, unknown> = {};
  const extruder: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) (perExtruder.has(key) ? extruder : global)[key] = value;
  const stacks = await loadSettingStacks(source, machine, { changes: { global, extruders: { '0': extruder } } });
  return buildEngineSettings(stacks, { now: new Date(0) });
}
