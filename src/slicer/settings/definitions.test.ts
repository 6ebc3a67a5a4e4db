// Exhaustive checks over every shipped definition: every formula parses, every printer of the
// catalog loads and resolves every setting, and the formulas known to be broken in the shipped
// files are reported as definition problems instead of crashing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../expression/formula.js';
import type { DefinitionFile, SettingJson } from './definition-files.js';
import { loadMachine } from './machine.js';
import { NodeDefinitionSource, packagedDefinitionsDir } from './node-definition-source.js';
import { functionProperties, SettingStacks } from './setting-stacks.js';

const dir = packagedDefinitionsDir();
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.def.json'))
  .map((name) => ({ name, json: JSON.parse(readFileSync(join(dir, name), 'utf8')) as DefinitionFile }));
const source = new NodeDefinitionSource(dir);

function* formulas(file: DefinitionFile): Generator<{ key: string; property: string; source: string }> {
  function* walk(settings: Record<string, SettingJson>): Generator<{ key: string; property: string; source: string }> {
    for (const [key, setting] of Object.entries(settings)) {
      for (const property of functionProperties) {
        const value = setting[property];
        if (typeof value === 'string') yield { key, property, source: value };
      }
      if (setting.children) yield* walk(setting.children);
    }
  }
  yield* walk(file.settings ?? {});
  yield* walk(file.overrides ?? {});
}

describe('every formula in every shipped definition', () => {
  it('parses', () => {
    let count = 0;
    const failures: string[] = [];
    for (const file of files) {
      for (const formula of formulas(file.json)) {
        count += 1;
        const compiled = compileFormula(formula.source);
        if (!compiled.tree) failures.push(`${file.name} ${formula.key}.${formula.property}: ${compiled.syntaxError} in ${formula.source}`);
      }
    }
    expect(files.length).toBeGreaterThan(600);
    expect(count).toBeGreaterThan(4000);
    expect(failures).toEqual([]);
  });
});

describe('every printer of the catalog', () => {
  it('is indexed with its build volume and extruders', async () => {
    const catalog = await source.catalog();
    expect(catalog.settingVersion).toBe(16);
    expect(catalog.machines.length).toBeGreaterThan(320);
    expect(catalog.machines.filter((m) => m.concrete).length).toBeGreaterThan(300);
    const ender = catalog.machines.find((m) => m.id === 'creality_ender3');
    expect(ender).toMatchObject({ name: 'Creality Ender-3', manufacturer: 'Creality3D', width: 235, depth: 235, height: 250, extruderCount: 1, concrete: true, originAtCenter: false });
    expect(catalog.machines.find((m) => m.id === 'creality_base')?.concrete).toBe(false);
    for (const machine of catalog.machines) {
      expect(machine.width, machine.id).toBeGreaterThan(0);
      expect(machine.height, machine.id).toBeGreaterThan(0);
    }
  });

  it('loads, including those referring to definitions in another letter case', async () => {
    const catalog = await source.catalog();
    // Machines whose chain names a parent or an extruder train in another case than its file.
    const mixedCase = catalog.machines.filter((machine) => {
      for (let id: string | undefined = machine.id; id; ) {
        const file = source.loadSync(id);
        const trains = Object.values((file.metadata?.machine_extruder_trains ?? {}) as Record<string, string>);
        if ([file.inherits ?? '', ...trains].some((ref) => ref !== ref.toLowerCase())) return true;
        id = file.inherits;
      }
      return false;
    });
    expect(mixedCase.length).toBe(22);
    for (const entry of mixedCase) {
      const machine = await loadMachine(source, entry.id);
      expect(machine.extruders.length, entry.id).toBeGreaterThanOrEqual(1);
    }
  });

  it('resolves every setting without an error; broken shipped formulas are reported, not fatal', async () => {
    const catalog = await source.catalog();
    const problems: string[] = [];
    const errors: string[] = [];
    let resolved = 0;
    for (const entry of catalog.machines) {
      const stacks = new SettingStacks(await loadMachine(source, entry.id));
      for (const snapshot of stacks.resolveAll()) {
        for (const [key, setting] of snapshot.settings) {
          if (setting.value === undefined) errors.push(`${entry.id} ${snapshot.stack} ${key}: no value`);
          resolved += 1;
        }
      }
      problems.push(...stacks.problems().map((p) => `${entry.id} ${p.stack} ${p.key}.${p.property}: ${p.message}`));
      if (entry.concrete) errors.push(...stacks.errors().map((e) => `${entry.id} ${e.stack} ${e.key}: ${e.message}`));
    }
    expect(resolved).toBeGreaterThan(338 * 1000);
    expect(errors).toEqual([]);
    // A value formula "glass" (an option written as a bare name) names no setting: NameError, 0 in Cura.
    const glass = problems.filter((p) => p.endsWith("machine_buildplate_type.value: NameError: name 'glass' is not defined"));
    expect(glass.length).toBe(15);
    // strateo3d's support_bottom_height warning bound names a setting that no longer exists.
    const strateo = problems.filter((p) => p.startsWith('strateo3d ') && p.includes("name 'support_bottom_distance' is not defined"));
    expect(strateo.length).toBeGreaterThanOrEqual(1);
    expect(problems.length).toBe(glass.length + strateo.length);
  });
});
