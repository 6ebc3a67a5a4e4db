import { describe, expect, it } from 'vitest';
import { presetLabel, qualityPresets } from './quality-presets.js';
import { emptyChanges } from './user-changes.js';

const standard = qualityPresets(0.4, 0.2).find((p) => p.id === 'standard')!;

describe('presetLabel', () => {
  it('names a preset by its own layer height when it is not the chosen one', () => {
    expect(presetLabel(standard)).toBe('Standard Quality (0.2 mm)');
  });

  it('keeps the plain name while nothing is changed on top of the chosen preset', () => {
    expect(presetLabel(standard, { layerHeight: 0.2, changes: emptyChanges() })).toBe('Standard Quality (0.2 mm)');
  });

  it('marks the preset modified and shows the layer height in use once the user set it', () => {
    const changes = { global: { layer_height: 0.12 }, extruders: {} };
    expect(presetLabel(standard, { layerHeight: 0.12, changes })).toBe('Standard Quality * (0.12 mm, modified)');
  });

  it('marks it modified for any other change too, keeping the preset height', () => {
    expect(presetLabel(standard, { layerHeight: 0.2, changes: { global: { infill_sparse_density: 40 }, extruders: {} } })).toBe('Standard Quality * (0.2 mm, modified)');
    expect(presetLabel(standard, { layerHeight: 0.2, changes: { global: {}, extruders: { '0': { material_print_temperature: 215 } } } })).toBe('Standard Quality * (0.2 mm, modified)');
  });

  it('an empty extruder map is not a change', () => {
    expect(presetLabel(standard, { layerHeight: 0.2, changes: { global: {}, extruders: { '0': {} } } })).toBe('Standard Quality (0.2 mm)');
  });

  it('shows a computed layer height without float noise, and the preset height when none resolves', () => {
    expect(presetLabel(standard, { layerHeight: 0.1 + 0.02, changes: { global: { layer_height: '=0.1 + 0.02' }, extruders: {} } })).toBe('Standard Quality * (0.12 mm, modified)');
    expect(presetLabel(standard, { layerHeight: Number.NaN, changes: emptyChanges() })).toBe('Standard Quality (0.2 mm)');
  });
});
