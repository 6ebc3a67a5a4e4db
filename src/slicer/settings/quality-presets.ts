// Quality presets (layer heights). The packaged definitions carry no quality profiles, so the set
// is Cura's usual one for a 0.4 mm nozzle (Super 0.12, Dynamic 0.16, Standard 0.2, Draft 0.28),
// kept to what the nozzle can print (at most 80 % of its width, the bound Cura's definitions use),
// plus the machine's own default layer height when it is not one of them.
import type { SettingChanges } from './user-changes.js';

export interface QualityPreset {
  id: string;
  name: string;
  layerHeight: number;
}

const standardPresets: QualityPreset[] = [
  { id: 'super', name: 'Super Quality', layerHeight: 0.12 },
  { id: 'dynamic', name: 'Dynamic Quality', layerHeight: 0.16 },
  { id: 'standard', name: 'Standard Quality', layerHeight: 0.2 },
  { id: 'draft', name: 'Draft', layerHeight: 0.28 },
];

export function qualityPresets(nozzleSize: number, machineLayerHeight: number): QualityPreset[] {
  const limit = 0.8 * (Number.isFinite(nozzleSize) && nozzleSize > 0 ? nozzleSize : 0.4) + 1e-9;
  const presets = standardPresets.filter((preset) => preset.layerHeight <= limit);
  if (presets.length === 0) presets.push({ id: 'fine', name: 'Fine', layerHeight: Math.round(limit * 0.5 * 100) / 100 });
  if (Number.isFinite(machineLayerHeight) && machineLayerHeight > 0 && !presets.some((p) => Math.abs(p.layerHeight - machineLayerHeight) < 1e-9)) {
    presets.push({ id: 'machine', name: 'Printer default', layerHeight: machineLayerHeight });
    presets.sort((a, b) => a.layerHeight - b.layerHeight);
  }
  return presets;
}

/** The slicing profile a preset stands for: it sits below the user's changes. */
export function presetProfile(preset: QualityPreset): SettingChanges {
  return { global: { layer_height: preset.layerHeight }, extruders: {} };
}

/** What the slice will use while a preset is chosen: the resolved layer height and the user's changes. */
export interface AppliedPreset {
  layerHeight: number;
  changes: SettingChanges;
}

function hasChanges(changes: SettingChanges): boolean {
  return Object.keys(changes.global).length > 0 || Object.values(changes.extruders).some((values) => Object.keys(values).length > 0);
}

function millimetres(value: number): string {
  // 0.1 + 0.02 must read 0.12, not 0.12000000000000001.
  return String(Number(value.toFixed(3)));
}

/**
 * How the preset picker names a preset. For the chosen one, given what is applied on top of it: once
 * the user has changed anything, the name carries Cura's "*" and says "modified", and the layer height
 * shown is the one the slice will really use, so the picker never claims a height that is not printed.
 */
export function presetLabel(preset: QualityPreset, applied?: AppliedPreset): string {
  if (!applied) return `${preset.name} (${millimetres(preset.layerHeight)} mm)`;
  const height = Number.isFinite(applied.layerHeight) && applied.layerHeight > 0 ? applied.layerHeight : preset.layerHeight;
  const modified = hasChanges(applied.changes) || Math.abs(height - preset.layerHeight) > 1e-9;
  return modified ? `${preset.name} * (${millimetres(height)} mm, modified)` : `${preset.name} (${millimetres(height)} mm)`;
}
