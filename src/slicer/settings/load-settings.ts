// One entry point for Node and the browser: load a printer's definitions from a source and build
// its setting stacks with the user's changes.
import type { DefinitionSource } from './definition-files.js';
import { loadMachine } from './machine.js';
import { SettingStacks, type SettingStacksOptions } from './setting-stacks.js';

export async function loadSettingStacks(source: DefinitionSource, machineId: string, options: SettingStacksOptions = {}): Promise<SettingStacks> {
  return new SettingStacks(await loadMachine(source, machineId), options);
}
