import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineSettings } from '../slice-api.js';
import { buildEngineSettings, formatForEngine } from './engine-settings.js';
import { expandPlaceholders, temperaturePrepends } from './gcode-placeholders.js';
import { loadMachine, type Machine } from './machine.js';
import { NodeDefinitionSource } from './node-definition-source.js';
import { qualityPresets } from './quality-presets.js';
import { GLOBAL, SettingStacks } from './setting-stacks.js';

const source = new NodeDefinitionSource();
const machines = new Map<string, Machine>();
async function stacksFor(id: string, changes?: ConstructorParameters<typeof SettingStacks>[1]): Promise<SettingStacks> {
  let machine = machines.get(id);
  if (!machine) {
    machine = await loadMachine(source, id);
    machines.set(id, machine);
  }
  return new SettingStacks(machine, changes);
}

beforeAll(async () => {
  for (const id of ['creality_ender3', 'custom', 'ultimaker3', '101hero', 'ultimaker_s5']) machines.set(id, await loadMachine(source, id));
});

describe('container stacks', () => {
  it('takes machine overrides along the inherits chain over fdmprinter', async () => {
    const stacks = await stacksFor('creality_ender3');
    expect(stacks.value(GLOBAL, 'machine_width')).toBe(235); // creality_ender3
    expect(stacks.value(GLOBAL, 'adhesion_type')).toBe('skirt'); // creality_base
    expect(stacks.value(GLOBAL, 'machine_gcode_flavor')).toBe('RepRap (Marlin/Sprinter)'); // fdmprinter
    expect(stacks.machine.definition.chain).toEqual(['creality_ender3', 'creality_base', 'fdmprinter']);
  });

  it('keeps a formula of fdmprinter over a default_value override, as Uranium does', async () => {
    // infill_sparse_density has no formula in fdmprinter; creality_base gives it one ("20").
    const stacks = await stacksFor('creality_ender3');
    expect(stacks.value(0, 'infill_sparse_density')).toBe(20);
  });

  it('loads machines whose ids differ in case from the file names', async () => {
    const stacks = await stacksFor('101hero');
    expect(stacks.machine.extruders[0].id).toBe('101hero_extruder_0');
    expect(stacks.value(0, 'machine_nozzle_size')).toBeGreaterThan(0);
  });

  it('puts user changes above everything and resets them', async () => {
    const stacks = await stacksFor('creality_ender3');
    const result = stacks.setUserValue(GLOBAL, 'layer_height', '0,12');
    expect(result.ok).toBe(true);
    expect(stacks.value(GLOBAL, 'layer_height')).toBe(0.12);
    expect(stacks.hasUserValue(GLOBAL, 'layer_height')).toBe(true);
    stacks.clearUserValue(GLOBAL, 'layer_height');
    expect(stacks.value(GLOBAL, 'layer_height')).toBe(0.1); // fdmprinter's default, without a quality profile
  });

  it('refuses values of the wrong type in plain words', async () => {
    const stacks = await stacksFor('creality_ender3');
    const bad = stacks.setUserValue(GLOBAL, 'layer_height', 'thin');
    expect(bad).toEqual({ ok: false, message: 'Layer Height needs a number, not "thin".' });
    const enumBad = stacks.setUserValue(GLOBAL, 'adhesion_type', 'glue');
    expect(enumBad.ok).toBe(false);
    const enumCase = stacks.setUserValue(GLOBAL, 'adhesion_type', 'Brim');
    expect(enumCase.ok).toBe(true);
    expect(stacks.value(GLOBAL, 'adhesion_type')).toBe('brim');
    expect(stacks.setUserValue(GLOBAL, 'no_such_setting', 1).ok).toBe(false);
  });
});

describe('golden values computed by hand', () => {
  it('infill_line_distance at 20 % and 40 % (fdmprinter: grid up to 25 %, then lines)', async () => {
    const stacks = await stacksFor('custom');
    expect(stacks.value(0, 'infill_pattern')).toBe('grid');
    expect(stacks.value(0, 'infill_line_width')).toBe(0.4);
    expect(stacks.value(0, 'infill_line_distance')).toBe(4); // 0.4 × 100 / 20 × 2 (grid)
    stacks.setUserValue(0, 'infill_sparse_density', 40);
    expect(stacks.value(0, 'infill_pattern')).toBe('lines');
    expect(stacks.value(0, 'infill_line_distance')).toBe(1); // 0.4 × 100 / 40 × 1 (lines)
    stacks.setUserValue(0, 'infill_pattern', 'grid');
    expect(stacks.value(0, 'infill_line_distance')).toBe(2); // 0.4 × 100 / 40 × 2
  });

  it('infill_line_distance on the Ender-3 (cubic below 50 %: × 3, lines above: × 1)', async () => {
    const stacks = await stacksFor('creality_ender3');
    expect(stacks.value(0, 'infill_line_distance')).toBe(6); // 0.4 × 100 / 20 × 3
    stacks.setUserValue(0, 'infill_sparse_density', 40);
    expect(stacks.value(0, 'infill_line_distance')).toBe(3); // 0.4 × 100 / 40 × 3
    stacks.setUserValue(0, 'infill_sparse_density', 80);
    expect(stacks.value(0, 'infill_pattern')).toBe('lines');
    expect(stacks.value(0, 'infill_line_distance')).toBe(0.5); // 0.4 × 100 / 80 × 1
  });

  it('wall_line_count from wall_thickness, with round() half to even', async () => {
    const stacks = await stacksFor('custom');
    stacks.setUserValue(0, 'wall_thickness', 1.2);
    expect(stacks.value(0, 'wall_line_count')).toBe(3); // round((1.2 - 0.4) / 0.4) + 1
    stacks.setUserValue(0, 'wall_thickness', 2);
    expect(stacks.value(0, 'wall_line_count')).toBe(5); // round(1.6 / 0.4) + 1
    // (1.75 - 0.5) / 0.5 = 2.5 exactly: Python rounds to 2, so 3 walls (half-up would say 4).
    stacks.setUserValue(0, 'line_width', 0.5);
    stacks.setUserValue(0, 'wall_thickness', 1.75);
    expect(stacks.value(0, 'wall_line_width_0')).toBe(0.5);
    expect(stacks.value(0, 'wall_line_count')).toBe(3);
  });

  it('top_layers: ceil(round(thickness / layer height, 4))', async () => {
    const stacks = await stacksFor('custom');
    expect(stacks.value(0, 'top_thickness')).toBe(0.8);
    expect(stacks.value(0, 'top_layers')).toBe(8); // 0.8 / 0.1 = 8.000000000000002 → round → 8
    stacks.setUserValue(GLOBAL, 'layer_height', 0.3);
    expect(stacks.value(0, 'top_layers')).toBe(3); // ceil(2.6667)
  });

  it('support settings follow support_extruder_nr (limit_to_extruder)', async () => {
    const stacks = await stacksFor('ultimaker3');
    expect(stacks.extruderCount).toBe(2);
    stacks.setUserValue(GLOBAL, 'support_enable', true);
    stacks.setUserValue(0, 'support_infill_rate', 15);
    stacks.setUserValue(1, 'support_infill_rate', 30);
    stacks.setUserValue(GLOBAL, 'support_extruder_nr', 0);
    const width0 = stacks.value(0, 'support_line_width') as number;
    const pattern0 = stacks.value(0, 'support_pattern');
    const factor = (pattern: unknown) => (pattern === 'grid' ? 2 : pattern === 'triangles' ? 3 : 1);
    expect(stacks.value(GLOBAL, 'support_infill_extruder_nr')).toBe('0');
    expect(stacks.value(GLOBAL, 'support_line_distance')).toBeCloseTo(((width0 * 100) / 15) * factor(pattern0), 12);
    stacks.setUserValue(GLOBAL, 'support_extruder_nr', 1);
    const width1 = stacks.value(1, 'support_line_width') as number;
    expect(stacks.value(GLOBAL, 'support_infill_extruder_nr')).toBe('1');
    expect(stacks.value(GLOBAL, 'support_infill_rate')).toBe(30);
    expect(stacks.value(GLOBAL, 'support_line_distance')).toBeCloseTo(((width1 * 100) / 30) * factor(stacks.value(1, 'support_pattern')), 12);
  });

  it('resolve: the bed temperature is the highest of the extruders unless the user sets it', async () => {
    const stacks = await stacksFor('ultimaker3');
    stacks.setUserValue(0, 'default_material_bed_temperature', 50);
    stacks.setUserValue(1, 'default_material_bed_temperature', 85);
    expect(stacks.value(GLOBAL, 'material_bed_temperature')).toBe(85);
    stacks.setUserValue(GLOBAL, 'material_bed_temperature', 55);
    expect(stacks.value(GLOBAL, 'material_bed_temperature')).toBe(55);
  });

  it('a per-extruder setting keeps its global value from the global stack alone', async () => {
    const stacks = await stacksFor('creality_ender3');
    stacks.setUserValue(0, 'infill_sparse_density', 40);
    expect(stacks.value(0, 'infill_line_distance')).toBe(3);
    expect(stacks.value(GLOBAL, 'infill_line_distance')).toBe(6);
  });
});

describe("Cura's formula functions on the 5.13 definitions", () => {
  it('support goes to the default extruder: the first enabled one (anyExtruderWithMaterial without materials)', async () => {
    const stacks = await stacksFor('ultimaker_s5');
    expect(stacks.value(GLOBAL, 'support_extruder_nr')).toBe(0);
    stacks.setExtruderEnabled(0, false);
    // fdmprinter: int(anyExtruderWithMaterial('material_is_support_material')); no material defines it,
    // so Cura answers the default extruder position, which skips the disabled extruder 0.
    expect(stacks.value(GLOBAL, 'support_extruder_nr')).toBe(1);
  });

  it("adhesion_type's resolve ranks the extruders' choices with ('raft', 'brim', 'skirt', 'none').index", async () => {
    const stacks = await stacksFor('ultimaker_s5');
    stacks.setUserValue(0, 'adhesion_type', 'skirt');
    stacks.setUserValue(1, 'adhesion_type', 'brim');
    expect(stacks.value(GLOBAL, 'adhesion_type')).toBe('brim');
    stacks.setUserValue(0, 'adhesion_type', 'raft');
    expect(stacks.value(GLOBAL, 'adhesion_type')).toBe('raft');
    expect(stacks.problems()).toEqual([]);
  });

  it("the S8's initial bottom layers compare the profile's bottom layers with the current ones (extruderValueFromContainer)", async () => {
    const stacks = await stacksFor('ultimaker_s8');
    // No change: the value from container 2 on equals bottom_layers, so 2 initial layers.
    expect(stacks.value(0, 'initial_bottom_layers')).toBe(2);
    // The user's own bottom layers differ from what the containers below them say: they are used as they are.
    stacks.setUserValue(0, 'bottom_layers', 7);
    expect(stacks.value(0, 'initial_bottom_layers')).toBe(7);
  });

  it('extruderValue hands strings back in lower case, as Cura does', async () => {
    const stacks = await stacksFor('ultimaker_s5');
    stacks.setUserValue(1, 'machine_nozzle_id', 'BB 0.4');
    stacks.setUserValue(GLOBAL, 'machine_start_gcode', "=extruderValue(1, 'machine_nozzle_id')");
    expect(stacks.value(GLOBAL, 'machine_start_gcode')).toBe('bb 0.4');
    expect(stacks.value(1, 'machine_nozzle_id')).toBe('BB 0.4');
  });
});

describe('formulas as user values', () => {
  it('evaluates a change written as "=formula" and follows what it reads', async () => {
    const stacks = await stacksFor('custom');
    stacks.resolveAll();
    expect(stacks.setUserValue(0, 'top_bottom_thickness', "=resolveOrValue('layer_height') * 4").ok).toBe(true);
    expect(stacks.value(0, 'top_layers')).toBe(4);
    const result = stacks.setUserValue(GLOBAL, 'layer_height', 0.3);
    expect(result.ok && result.affected.has('top_bottom_thickness')).toBe(true);
    expect(stacks.value(0, 'top_bottom_thickness')).toBeCloseTo(1.2, 12);
    expect(stacks.resolveAll()[1].settings.get('top_layers')?.value).toBe(4);
  });

  it('reports a failing user formula and uses 0, like a broken definition formula', async () => {
    const stacks = await stacksFor('custom');
    stacks.setUserValue(0, 'speed_print', '=no_such_setting + 1');
    expect(stacks.value(0, 'speed_print')).toBe(0);
    expect(stacks.problems()).toEqual([
      { key: 'speed_print', stack: '0', property: 'value', formula: 'no_such_setting + 1', message: "NameError: name 'no_such_setting' is not defined" },
    ]);
    stacks.clearUserValue(0, 'speed_print');
    stacks.resolveAll();
    expect(stacks.problems()).toEqual([]);
  });
});

describe('enabled and validation', () => {
  it('enables settings from formulas', async () => {
    const stacks = await stacksFor('creality_ender3');
    expect(stacks.enabled(0, 'support_angle')).toBe(false);
    stacks.setUserValue(GLOBAL, 'support_enable', true);
    expect(stacks.enabled(0, 'support_angle')).toBe(true);
    expect(stacks.enabled(GLOBAL, 'brim_width')).toBe(false);
    stacks.setUserValue(GLOBAL, 'adhesion_type', 'brim');
    expect(stacks.enabled(0, 'brim_width')).toBe(true);
  });

  it('an out-of-range value is an error that stops slicing, a doubtful one a warning', async () => {
    const stacks = await stacksFor('creality_ender3');
    expect(stacks.errors()).toEqual([]);
    stacks.setUserValue(0, 'infill_sparse_density', -5);
    expect(stacks.validate(0, 'infill_sparse_density')).toEqual({ state: 'error', message: 'Infill Density must be at least 0 %.' });
    expect(stacks.errors().map((e) => `${e.stack}:${e.key}`)).toContain('0:infill_sparse_density');
    stacks.clearUserValue(0, 'infill_sparse_density');
    stacks.setUserValue(GLOBAL, 'layer_height', 0.36);
    expect(stacks.validate(GLOBAL, 'layer_height').state).toBe('warning'); // above 0.8 × nozzle
    expect(stacks.errors()).toEqual([]);
  });
});

describe('incremental recompute', () => {
  const snapshotOf = (stacks: SettingStacks) =>
    stacks.resolveAll().map((s) => JSON.stringify([...s.settings].map(([k, v]) => [k, v.value, v.enabled, v.validation, v.userChanged])));

  it.each(['creality_ender3', 'ultimaker3'])('after each change equals a fresh resolution (%s)', async (id) => {
    const stacks = await stacksFor(id);
    stacks.resolveAll();
    const changes: [number, string, unknown][] = [
      [GLOBAL, 'layer_height', 0.12],
      [0, 'infill_sparse_density', 45],
      [GLOBAL, 'support_enable', true],
      [GLOBAL, 'adhesion_type', 'raft'],
      [0, 'wall_thickness', 2],
      [0, 'material_print_temperature', 215],
      [GLOBAL, 'machine_extruder_count', 1],
      [0, 'machine_nozzle_size', 0.6],
      [GLOBAL, 'support_extruder_nr', 0],
    ];
    for (const [stack, key, value] of changes) {
      const result = stacks.setUserValue(stack, key, value);
      expect(result.ok, key).toBe(true);
      if (result.ok) expect(result.affected.size).toBeLessThan(stacks.keys().length);
      const fresh = await stacksFor(id, { changes: stacks.userChanges() });
      expect(snapshotOf(stacks)).toEqual(snapshotOf(fresh));
    }
  });

  it('recomputes only dependents', async () => {
    const stacks = await stacksFor('creality_ender3');
    const result = stacks.setUserValue(0, 'infill_sparse_density', 30);
    if (!result.ok) throw new Error(result.message);
    expect(result.affected.has('infill_line_distance')).toBe(true);
    expect(result.affected.has('infill_pattern')).toBe(true);
    expect(result.affected.has('wall_line_count')).toBe(false);
    expect(result.affected.has('speed_print')).toBe(false);
  });
});

describe('engine settings', () => {
  it('formats values from their types', () => {
    expect(formatForEngine(true, 'bool')).toBe('True');
    expect(formatForEngine(0, 'bool')).toBe('False');
    expect(formatForEngine(0.28, 'float')).toBe('0.28');
    expect(formatForEngine(1e-7, 'float')).toBe('0.0000001');
    expect(formatForEngine(3.7, 'int')).toBe('3');
    expect(formatForEngine('1', 'extruder')).toBe('1');
    expect(formatForEngine('brim', 'enum')).toBe('brim');
    expect(formatForEngine([[-1, 2.5], [3, 4]], 'polygon')).toBe('[[-1,2.5],[3,4]]');
    expect(formatForEngine(null, 'float')).toBe('0');
  });

  it('replaces placeholders as Cura does', () => {
    const values = { '-1': { material_bed_temperature_layer_0: '60', speed_travel: '150', extruder_nr: '0' }, '0': { material_print_temperature: '200' }, '1': { material_print_temperature: '210' } };
    expect(expandPlaceholders('M190 S{material_bed_temperature_layer_0}\nM109 S{material_print_temperature}', values, 0)).toBe('M190 S60\nM109 S200');
    expect(expandPlaceholders('M104 T1 S{material_print_temperature, 1}', values, 0)).toBe('M104 T1 S210');
    expect(expandPlaceholders('{unknown} {{literal}}', values, 0)).toBe('{unknown} {literal}');
    expect(expandPlaceholders('broken { brace', values, 0)).toBe('broken { brace');
    expect(temperaturePrepends('M190 S{material_bed_temperature_layer_0}')).toEqual({ bed: false, print: true });
  });

  it('sends every resolved setting, the start G-code with its placeholders filled', async () => {
    const stacks = await stacksFor('creality_ender3');
    stacks.setUserValue(GLOBAL, 'machine_start_gcode', 'M190 S{material_bed_temperature_layer_0}\nM109 S{material_print_temperature_layer_0, 0}\nG28');
    stacks.setUserValue(0, 'material_bed_temperature', 70);
    stacks.setUserValue(0, 'material_print_temperature', 205);
    stacks.setUserValue(0, 'infill_sparse_density', 40);
    const settings: EngineSettings = buildEngineSettings(stacks);
    expect(settings.extruders).toHaveLength(1);
    expect(settings.global.machine_start_gcode).toBe('M190 S70\nM109 S205\nG28');
    expect(settings.global.material_bed_temp_prepend).toBe('False');
    expect(settings.global.material_print_temp_prepend).toBe('False');
    expect(settings.extruders[0].infill_line_distance).toBe('3');
    expect(settings.global.infill_line_distance).toBe('6');
    expect(settings.global.layer_height).toBe('0.1');
    expect(settings.global.support_enable).toBe('False');
    expect(settings.global.machine_disallowed_areas).toMatch(/^\[\[\[/);
    for (const map of [settings.global, ...settings.extruders]) {
      for (const [key, value] of Object.entries(map)) {
        expect(value, key).not.toMatch(/^(None|undefined|NaN|true|false)$/);
        expect(value, key).not.toMatch(/^-?\d+,\d+$/);
      }
    }
    expect(Object.keys(settings.global).length).toBeGreaterThan(500);
    expect(Object.keys(settings.extruders[0]).length).toBeGreaterThan(Object.keys(settings.global).length);
  });
});

describe('quality presets', () => {
  it('offers the usual layer heights a nozzle can print, and the machine default', () => {
    expect(qualityPresets(0.4, 0.2).map((p) => p.layerHeight)).toEqual([0.12, 0.16, 0.2, 0.28]);
    expect(qualityPresets(0.25, 0.1).map((p) => p.layerHeight)).toEqual([0.1, 0.12, 0.16, 0.2]);
    expect(qualityPresets(0.15, 0.06).map((p) => p.layerHeight)).toEqual([0.06, 0.12]);
  });
});
