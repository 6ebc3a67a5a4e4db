// `npm run -s settings -- --machine <definition id> [--changes changes.json]`: prints every setting of
// a printer, resolved as Cura would, as JSON on stdout:
// {"machine": id, "global": {key: {"value": v, "enabled": bool}}, "extruders": {"0": {…}}}
// changes.json holds user changes: {"global": {key: value}, "extruders": {"0": {key: value}}}.
import { readFileSync } from 'node:fs';
import { loadSettingStacks } from '../src/slicer/settings/load-settings.js';
import { NodeDefinitionSource } from '../src/slicer/settings/node-definition-source.js';
import type { SettingChanges } from '../src/slicer/settings/user-changes.js';

function fail(message: string): never {
  process.stderr.write(`settings: ${message}\n`);
  process.exit(1);
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (!value || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
}

const machine = argument('--machine');
if (!machine) fail('usage: npm run -s settings -- --machine <definition id> [--changes changes.json]');
const changesPath = argument('--changes');

let changes: SettingChanges = { global: {}, extruders: {} };
if (changesPath) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(changesPath, 'utf8'));
  } catch (error) {
    fail(`could not read ${changesPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(`${changesPath} must hold {"global": {…}, "extruders": {"0": {…}}}`);
  const record = parsed as Partial<SettingChanges>;
  changes = { global: record.global ?? {}, extruders: record.extruders ?? {} };
}

try {
  const stacks = await loadSettingStacks(new NodeDefinitionSource(), machine, { changes });
  const snapshots = stacks.resolveAll();
  const dump = (index: number) => {
    const out: Record<string, { value: unknown; enabled: boolean }> = {};
    for (const [key, setting] of snapshots[index].settings) out[key] = { value: setting.value, enabled: setting.enabled };
    return out;
  };
  const extruders: Record<string, unknown> = {};
  for (let position = 0; position < stacks.extruderTrainCount; position += 1) extruders[String(position)] = dump(position + 1);
  const problems = stacks.problems();
  for (const problem of problems) {
    process.stderr.write(`definition problem: ${problem.stack} ${problem.key}.${problem.property}: ${problem.message}\n`);
  }
  process.stdout.write(`${JSON.stringify({ machine: stacks.machine.id, global: dump(0), extruders })}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
