// Fully resolved engine settings for tests and benchmarks, from the same resolver the app uses: every
// setting of the machine, with the given user changes placed as Cura's settings panel places them
// (settings an extruder may differ on go to extruder 0's stack, the others to the global stack).
import type { DefinitionSource, SettingJson } from '../../settings/definition-files.js';
import { buildEngineSettings } from '../../settings/engine-settings.js';
import { loadSettingStacks } from '../../settings/load-settings.js';
import { NodeDefinitionSource } from '../../settings/node-definition-source.js';
import type { EngineSettings } from '../../slice-api.js';

type Changes = Record<string, number | string | boolean>;

let builtCatalog: NodeDefinitionSource | null = null;

function findSetting(settings: Record<string, SettingJson> | undefined, key: string): SettingJson | undefined {
  for (const [name, setting] of Object.entries(settings ?? {})) {
    if (name === key) return setting;
    const found = findSetting(setting.children, key);
    if (found) return found;
  }
  return undefined;
}

/**
 * `source`: where the definitions come from; the built catalog (public/definitions) unless given, e.g. the
 * fallback engine's own definitions (PackageDefinitionSource).
 */
export async function resolvedSettingsForTest(machine: string, changes: Changes, definitions?: DefinitionSource): Promise<EngineSettings> {
  const source = definitions ?? (builtCatalog ??= new NodeDefinitionSource());
  const printer = await source.load('fdmprinter');
  const global: Record<string, unknown> = {};
  const extruder: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    const perExtruder = findSetting(printer.settings, key)?.settable_per_extruder === true;
    (perExtruder ? extruder : global)[key] = value;
  }
  const stacks = await loadSettingStacks(source, machine, { changes: { global, extruders: { '0': extruder } } });
  return buildEngineSettings(stacks, { now: new Date(0) });
}
