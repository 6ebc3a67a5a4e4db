// Exhaustive checks over every definition of the built catalog (Cura 5.13's resources): every formula
// parses, every printer of the catalog loads and resolves every setting (global and each extruder), and
// the formulas known to be broken in the shipped files are reported as definition problems instead of
// crashing. The numbers are those of the pinned Cura commit; a catalog built from the fallback package
// is checked by wasm/definitions-catalog.test.ts instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../expression/formula.js';
import { builtins } from '../expression/builtins.js';
import type { ExpressionNode } from '../expression/syntax-tree.js';
import type { DefinitionBundle, DefinitionFile, SettingJson } from './definition-files.js';
import { loadMachine } from './machine.js';
import { builtDefinitionsDir, NodeDefinitionSource } from './node-definition-source.js';
import { functionProperties, SettingStacks } from './setting-stacks.js';

const dir = builtDefinitionsDir();
const source = new NodeDefinitionSource(dir);
const catalog = source.catalogSync();
const isCura513 = catalog.source.package === 'Cura resources' && catalog.source.version === '5.13.0';
if (!isCura513) console.warn(`definitions.test: the built catalog is ${catalog.source.package} ${catalog.source.version}, not Cura 5.13.0: skipped`);

const files: { id: string; json: DefinitionFile }[] = [];
for (const bundle of new Set(Object.values(catalog.bundles))) {
  const content = JSON.parse(readFileSync(join(dir, `${bundle}.json`), 'utf8')) as DefinitionBundle;
  for (const [id, json] of Object.entries(content.definitions)) files.push({ id, json });
}

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

function calledNames(node: ExpressionNode, out: Set<string>): void {
  if (node.kind === 'call') {
    if (node.callee.kind === 'name') out.add(node.callee.name);
    else if (node.callee.kind === 'attribute' && node.callee.object.kind === 'name') out.add(`${node.callee.object.name}.${node.callee.name}`);
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) value.forEach((item) => item && typeof item === 'object' && 'kind' in item && calledNames(item as ExpressionNode, out));
    else if (value && typeof value === 'object' && 'kind' in value) calledNames(value as ExpressionNode, out);
  }
}

describe.runIf(isCura513)('every formula in every Cura 5.13 definition', () => {
  it('parses, and calls only functions the interpreter provides', () => {
    let count = 0;
    const failures: string[] = [];
    const called = new Set<string>();
    for (const file of files) {
      for (const formula of formulas(file.json)) {
        count += 1;
        const compiled = compileFormula(formula.source);
        if (!compiled.tree) failures.push(`${file.id} ${formula.key}.${formula.property}: ${compiled.syntaxError} in ${formula.source}`);
        else calledNames(compiled.tree, called);
      }
    }
    // 706 machine files (fdmprinter and fdmextruder among them) and 544 extruder files.
    expect(files.length).toBe(1250);
    expect(count).toBe(7609);
    expect(failures).toEqual([]);
    const cura = ['anyExtruderWithMaterial', 'defaultExtruderPosition', 'extruderValue', 'extruderValueFromContainer', 'extruderValues', 'resolveOrValue'];
    const python = [...called].filter((name) => !cura.includes(name)).sort();
    expect([...called].filter((name) => cura.includes(name)).sort()).toEqual(cura);
    expect(python).toEqual(['all', 'any', 'float', 'int', 'len', 'map', 'math.atan', 'math.ceil', 'math.cos', 'math.degrees', 'math.floor', 'math.log', 'math.radians', 'math.sqrt', 'math.tan', 'max', 'min', 'round', 'sum']);
    for (const name of python) {
      const [first, member] = name.split('.');
      expect(Object.prototype.hasOwnProperty.call(builtins, first), name).toBe(true);
      if (member) expect(Object.prototype.hasOwnProperty.call((builtins.math as { members: object }).members, member), name).toBe(true);
    }
  });
});

describe.runIf(isCura513)('every printer of the Cura 5.13 catalog', () => {
  it('is indexed with its build volume, extruders and provenance', () => {
    expect(catalog.settingVersion).toBe(27);
    expect(catalog.source).toMatchObject({
      package: 'Cura resources',
      version: '5.13.0',
      settingVersion: 27,
      commit: '1fb8a7610460e03ec62da950d1c173a249b23b59',
      repository: 'https://github.com/Ultimaker/Cura',
      license: 'LGPL-3.0',
      fallback: false,
    });
    expect(catalog.machines.length).toBe(704);
    expect(catalog.machines.filter((m) => m.concrete).length).toBe(634);
    expect(catalog.machines.filter((m) => m.concrete && m.extruderCount > 1).length).toBe(122);
    expect(catalog.machines.find((m) => m.id === 'creality_ender3v3se')).toEqual({
      id: 'creality_ender3v3se',
      name: 'Creality Ender-3 V3 SE',
      manufacturer: 'Creality3D',
      width: 220,
      depth: 220,
      height: 250,
      shape: 'rectangular',
      originAtCenter: false,
      extruderCount: 1,
      concrete: true,
    });
    expect(catalog.machines.find((m) => m.id === 'ultimaker_s5')).toMatchObject({ name: 'UltiMaker S5', width: 330, depth: 240, height: 300, extruderCount: 2 });
    expect(catalog.machines.find((m) => m.id === 'creality_base')?.concrete).toBe(false);
    // Brands differing only in letter case are one brand ("ELEGOO" and "Elegoo").
    const neptunes = catalog.machines.filter((m) => m.id.startsWith('elegoo_neptune'));
    expect(new Set(neptunes.map((m) => m.manufacturer)).size).toBe(1);
    for (const machine of catalog.machines) {
      expect(machine.width, machine.id).toBeGreaterThan(0);
      expect(machine.height, machine.id).toBeGreaterThan(0);
    }
  });

  it('puts every definition in exactly one bundle, fdmprinter and fdmextruder in the shared one', () => {
    expect(Object.keys(catalog.bundles).length).toBe(1250);
    expect(catalog.bundles.fdmprinter).toBe('fdm');
    expect(catalog.bundles.fdmextruder).toBe('fdm');
    // A family shares one bundle: the Ender-3 V3 SE's chain and its extruder are with the other Crealitys.
    expect(catalog.bundles.creality_ender3v3se).toBe('creality_base');
    expect(catalog.bundles.creality_base_extruder_0).toBe('creality_base');
    expect(new Set(files.map((f) => f.id)).size).toBe(files.length);
  });

  it('loads, including those referring to definitions in another letter case', async () => {
    // Machines whose chain names a parent or an extruder train in another case than its id.
    const mixedCase = catalog.machines.filter((machine) => {
      for (let id: string | undefined = machine.id; id; ) {
        const file = source.loadSync(id);
        const trains = Object.values((file.metadata?.machine_extruder_trains ?? {}) as Record<string, string>);
        if ([file.inherits ?? '', ...trains].some((ref) => ref !== ref.toLowerCase())) return true;
        id = file.inherits;
      }
      return false;
    });
    expect(mixedCase.length).toBe(56);
    for (const entry of mixedCase) {
      const machine = await loadMachine(source, entry.id);
      expect(machine.extruders.length, entry.id).toBeGreaterThanOrEqual(1);
    }
  });

  it('resolves every setting of every machine; broken shipped formulas are reported, not fatal', async () => {
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
    expect(resolved).toBe(1209792);

    // Each known problem of the shipped files, as Cura meets it too (it logs the failure and uses 0).
    const explained = (pattern: RegExp) => problems.filter((p) => pattern.test(p));
    // An option written as a bare name instead of a quoted string ("glass" for "'glass'"): NameError.
    const bareOptions = explained(/\.value: NameError: name '(rectangular|glass|zigzag|noskin|xy_overrides_z|concentric|everywhere|skirt|back)' is not defined$/);
    expect(bareOptions.map((p) => p.split(' ')[0])).toEqual([
      ...Array(6).fill('ankermake_m5c'),
      ...['eazao_m500', 'eazao_m600', 'eazao_m700', 'eazao_potter', 'eazao_zero'].flatMap((id) => [id, id]),
      'inat_base',
      'inat_proton_x_rail',
      'inat_proton_x_rod',
      ...Array(3).fill('matterhackers_pulsexe_e444m'),
    ]);
    // Eazao M500, M600 and Potter give adhesion_type the default "'none'" (quotes inside the text), which
    // is not one of the options that fdmprinter's resolve ranks with ('raft', 'brim', 'skirt', 'none').index.
    const quotedNone = explained(/adhesion_type\.resolve: ValueError: "'none'" is not in list$/);
    expect(quotedNone.map((p) => p.split(' ')[0])).toEqual(['eazao_m500', 'eazao_m600', 'eazao_potter']);
    // The Pulse XE's adhesion_type is the bare name skirt (0, see above), which that resolve cannot rank either.
    const zeroAdhesion = explained(/^matterhackers_pulsexe_e444m global adhesion_type\.resolve: ValueError: 0 is not in list$/);
    expect(zeroAdhesion.length).toBe(1);
    expect(problems.length).toBe(bareOptions.length + quotedNone.length + zeroAdhesion.length);
    expect(problems.length).toBe(26);

    // Printers whose own defaults break their own bounds without Cura's quality or material profiles:
    // Cura shows these in red too until the user (or, for the Factor 4, a material profile) sets them.
    expect(errors.sort()).toEqual(
      [
        // fdmprinter's Z hop speed (10 mm/s) is above the printer's machine_max_feedrate_z.
        'geeetech_a30 0 speed_z_hop: Z Hop Speed must be at most 7 mm/s.',
        'geeetech_a30 global speed_z_hop: Z Hop Speed must be at most 7 mm/s.',
        'lulzbot_mini_2_se 0 speed_z_hop: Z Hop Speed must be at most 8 mm/s.',
        'lulzbot_mini_2_se global speed_z_hop: Z Hop Speed must be at most 8 mm/s.',
        'lulzbot_mini_2_sl 0 speed_z_hop: Z Hop Speed must be at most 8 mm/s.',
        'lulzbot_mini_2_sl global speed_z_hop: Z Hop Speed must be at most 8 mm/s.',
        'lulzbot_taz_pro_dual 0 speed_z_hop: Z Hop Speed must be at most 3 mm/s.',
        'lulzbot_taz_pro_dual 1 speed_z_hop: Z Hop Speed must be at most 3 mm/s.',
        'lulzbot_taz_pro_dual global speed_z_hop: Z Hop Speed must be at most 3 mm/s.',
        // The Factor 4's heated chamber must be at least 30 °C; its quality profiles set 35–40 °C.
        'ultimaker_factor4 global build_volume_temperature: Build Volume Temperature must be at least 30 °C.',
        'ultimaker_factor4_plus global build_volume_temperature: Build Volume Temperature must be at least 30 °C.',
      ].sort(),
    );
  }, 120_000);
});
