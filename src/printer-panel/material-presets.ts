// Temperature presets per material. The user may edit them; they are kept in the settings store
// under `materialPresetsKey`, and anything unreadable there falls back to the defaults.

export interface MaterialPreset {
  name: string;
  hotend: number;
  bed: number;
}

export const materialPresetsKey = 'printer.materialPresets';

export const defaultMaterialPresets: readonly MaterialPreset[] = [
  { name: 'PLA', hotend: 205, bed: 60 },
  { name: 'PETG', hotend: 235, bed: 80 },
  { name: 'ABS', hotend: 245, bed: 100 },
  { name: 'TPU', hotend: 225, bed: 50 },
];

export interface PresetLimits {
  maxHotendTemp: number;
  maxBedTemp: number;
}

export type PresetCheck = { ok: true; preset: MaterialPreset } | { ok: false; message: string };

/** Checks one edited preset against the printer's limits, with a message a person can act on. */
export function checkMaterialPreset(input: { name: unknown; hotend: unknown; bed: unknown }, limits: PresetLimits): PresetCheck {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') return { ok: false, message: 'Give the material a name, for example "PLA".' };
  if (name.length > 32) return { ok: false, message: 'Keep the material name under 32 characters.' };
  const hotend = Number(input.hotend);
  const bed = Number(input.bed);
  if (!Number.isFinite(hotend) || hotend < 0) return { ok: false, message: `The hotend temperature for ${name} must be a number of degrees.` };
  if (!Number.isFinite(bed) || bed < 0) return { ok: false, message: `The bed temperature for ${name} must be a number of degrees.` };
  if (hotend > limits.maxHotendTemp)
    return { ok: false, message: `${hotend} °C is above this printer's hotend limit of ${limits.maxHotendTemp} °C.` };
  if (bed > limits.maxBedTemp) return { ok: false, message: `${bed} °C is above this printer's bed limit of ${limits.maxBedTemp} °C.` };
  return { ok: true, preset: { name, hotend: Math.round(hotend), bed: Math.round(bed) } };
}

/** Reads what the settings store holds; a damaged value gives the defaults, not an error. */
export function readMaterialPresets(stored: unknown): MaterialPreset[] {
  if (!Array.isArray(stored)) return defaultMaterialPresets.map((p) => ({ ...p }));
  const presets: MaterialPreset[] = [];
  for (const item of stored) {
    if (typeof item !== 'object' || item === null) continue;
    const check = checkMaterialPreset(item as MaterialPreset, { maxHotendTemp: 500, maxBedTemp: 200 });
    if (check.ok && !presets.some((p) => p.name === check.preset.name)) presets.push(check.preset);
  }
  return presets.length > 0 ? presets : defaultMaterialPresets.map((p) => ({ ...p }));
}

/** Replaces (by name) or adds a preset; renaming is replace-at-index. */
export function upsertMaterialPreset(presets: readonly MaterialPreset[], preset: MaterialPreset, index?: number): MaterialPreset[] {
  const next = presets.map((p) => ({ ...p }));
  const clash = next.findIndex((p) => p.name === preset.name);
  if (index !== undefined && index >= 0 && index < next.length) {
    if (clash !== -1 && clash !== index) next.splice(clash, 1);
    next[clash !== -1 && clash < index ? index - 1 : index] = preset;
  } else if (clash !== -1) next[clash] = preset;
  else next.push(preset);
  return next;
}
