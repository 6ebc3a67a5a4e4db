import { describe, expect, it } from 'vitest';
import { NodeDefinitionSource } from '../../slicer/settings/node-definition-source.js';
import type { SettingChanges } from '../../slicer/settings/user-changes.js';
import { prepareSession } from './prepare-session.js';
import { SettingsController } from './settings-controller.js';
import type { SettingsPersistence } from './settings-persistence.js';

class MemoryPersistence implements SettingsPersistence {
  machine: string | null = null;
  saved = new Map<string, { changes: SettingChanges; presetId: string | null }>();
  failSaves = false;
  async lastMachine() {
    return this.machine;
  }
  async saveLastMachine(id: string) {
    this.machine = id;
  }
  async load(id: string) {
    const entry = this.saved.get(id);
    return entry ? structuredClone(entry) : null;
  }
  async save(id: string, changes: SettingChanges, presetId: string | null) {
    if (this.failSaves) throw new Error('QuotaExceededError');
    this.saved.set(id, structuredClone({ changes, presetId }));
  }
}

const source = new NodeDefinitionSource();

describe('SettingsController', () => {
  it('publishes the printer, its volume and its engine settings; keeps changes per printer', async () => {
    const persistence = new MemoryPersistence();
    const controller = new SettingsController(source, persistence);
    await controller.start();
    expect(controller.state.catalog.length).toBeGreaterThan(300);
    expect(controller.state.machine).toBeNull();

    await controller.selectMachine('creality_ender3');
    expect(controller.state.status).toBe('ready');
    expect(controller.state.presetId).toBe('standard');
    const session = prepareSession.state;
    expect(session.machineDefinitionId).toBe('creality_ender3');
    expect(session.volume).toEqual({ width: 235, depth: 235, height: 250, shape: 'rectangular', originAtCenter: false });
    expect(session.engineSettings?.global.layer_height).toBe('0.2');
    expect(session.settingErrors).toEqual([]);

    // Per-extruder settings go to the extruder stack, the others to the global stack.
    expect(controller.setValue('infill_sparse_density', '40')).toBeNull();
    expect(controller.setValue('support_enable', true)).toBeNull();
    expect(prepareSession.state.engineSettings?.extruders[0].infill_line_distance).toBe('3');
    expect(controller.setValue('layer_height', 'thick')).toBe('Layer Height needs a number, not "thick".');

    expect(controller.setValue('infill_sparse_density', -1)).toBeNull();
    // Cura flags both: the density, and the line distance computed from it (0.4 × 100 / -1 × 3 < 0).
    expect(prepareSession.state.settingErrors).toEqual([
      { key: 'infill_sparse_density', message: 'Infill Density must be at least 0 %.' },
      { key: 'infill_line_distance', message: 'Infill Line Distance must be at least 0 mm.' },
    ]);
    controller.setValue('infill_sparse_density', 40);
    controller.setPreset('draft');
    expect(prepareSession.state.engineSettings?.global.layer_height).toBe('0.28');
    await controller.flush();
    expect(persistence.saved.get('creality_ender3')).toEqual({
      changes: { global: { support_enable: true }, extruders: { '0': { infill_sparse_density: 40 } } },
      presetId: 'draft',
    });
    expect(persistence.machine).toBe('creality_ender3');

    // Another printer starts clean; coming back restores the changes and the preset.
    await controller.selectMachine('prusa_i3');
    expect(prepareSession.state.engineSettings?.extruders[0].infill_sparse_density).not.toBe('40');
    const again = new SettingsController(source, persistence);
    persistence.machine = 'creality_ender3';
    await again.start();
    expect(again.state.machine?.id).toBe('creality_ender3');
    expect(again.state.presetId).toBe('draft');
    expect(again.value('infill_sparse_density')).toBe(40);
    expect(again.value('layer_height')).toBe(0.28);
  });

  it('names the chosen preset modified once the layer height is changed, and plain again after a preset is picked', async () => {
    const controller = new SettingsController(source, new MemoryPersistence());
    await controller.start();
    await controller.selectMachine('creality_ender3');
    const standard = controller.state.presets.find((p) => p.id === 'standard')!;
    const draft = controller.state.presets.find((p) => p.id === 'draft')!;
    expect(controller.presetLabel(standard)).toBe('Standard Quality (0.2 mm)');
    expect(controller.setValue('layer_height', '0.12')).toBeNull();
    expect(controller.presetLabel(standard)).toBe('Standard Quality * (0.12 mm, modified)');
    expect(controller.presetLabel(draft)).toBe('Draft (0.28 mm)');
    controller.setPreset('standard');
    expect(controller.presetLabel(standard)).toBe('Standard Quality (0.2 mm)');
  });

  it('keeps working when saving fails, and says so', async () => {
    const persistence = new MemoryPersistence();
    persistence.failSaves = true;
    const controller = new SettingsController(source, persistence);
    await controller.start();
    await controller.selectMachine('creality_ender3');
    controller.setValue('speed_print', 70);
    await controller.flush();
    expect(controller.state.message).toMatch(/could not be saved.*QuotaExceededError/);
    expect(controller.value('speed_print')).toBe(70);
  });

  it('leaves out saved changes that no longer apply, and reports an unknown printer', async () => {
    const persistence = new MemoryPersistence();
    persistence.saved.set('creality_ender3', { changes: { global: { not_a_setting: 1, layer_height: 0.16 }, extruders: {} }, presetId: null });
    const controller = new SettingsController(source, persistence);
    await controller.start();
    await controller.selectMachine('creality_ender3');
    expect(controller.value('layer_height')).toBe(0.16);
    expect(controller.state.message).toMatch(/not_a_setting/);
    await controller.selectMachine('no_such_printer');
    expect(controller.state.status).toBe('failed');
    expect(controller.state.message).toBe('This printer could not be loaded: The printer definition "no_such_printer" was not found.');
  });
});
