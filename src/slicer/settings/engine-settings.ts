// Turns resolved settings into the engine's command-line values: every setting of the global stack
// (`-s key=value`) and of each extruder in use (`-e<N> -s key=value`), printed from the setting's
// type (the engine reads `TRUE`, `0,28` or `None` silently wrong and aborts on a non-numeric int),
// with placeholders in the start/end G-code replaced as Cura does.
import { pyStr, truthy, type PyValue } from '../expression/python-values.js';
import type { EngineSettings } from '../slice-api.js';
import { expandPlaceholders, temperaturePrepends, type PlaceholderLookup } from './gcode-placeholders.js';
import { GLOBAL, type SettingStacks } from './setting-stacks.js';

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const text = String(x);
  if (!/e/i.test(text)) return text;
  // No exponent notation: plain decimals with a dot.
  return Math.abs(x) < 1 ? x.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : BigInt(Math.round(x)).toString();
}

function toNumber(value: PyValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : 0;
  }
  return 0;
}

export function formatForEngine(value: PyValue, type: string): string {
  switch (type) {
    case 'bool':
      return truthy(value) ? 'True' : 'False';
    case 'int':
    case 'extruder':
    case 'optional_extruder':
      return formatNumber(Math.trunc(toNumber(value)));
    case 'float':
      return formatNumber(toNumber(value));
    case 'polygon':
    case 'polygons':
    case '[int]':
      if (Array.isArray(value)) return JSON.stringify(value);
      return value === null ? '[]' : pyStr(value);
    case 'enum':
    case 'str':
    default:
      if (value === null) return '';
      if (typeof value === 'number') return formatNumber(value);
      if (Array.isArray(value)) return JSON.stringify(value);
      return pyStr(value);
  }
}

/** Values as Python's str() prints them, for placeholders. */
function placeholderText(value: PyValue): string {
  return typeof value === 'number' ? formatNumber(value) : pyStr(value);
}

export interface EngineSettingsOptions {
  /** The first extruder that prints: placeholders without an extruder number take its values. */
  initialExtruder?: number;
  /** The moment used for {date}, {time} and {day}. */
  now?: Date;
}

/** Cura's extra placeholder tokens: renamed settings, material identity, date and time. */
function extraTokens(initialExtruder: number, now: Date): Record<string, string> {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    material_id: '',
    material_type: '',
    material_name: '',
    material_brand: '',
    time: `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`,
    date: `${pad(now.getDate())}-${pad(now.getMonth() + 1)}-${now.getFullYear()}`,
    day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][now.getDay()],
    initial_extruder_nr: String(initialExtruder),
  };
}

const renamedTokens: Record<string, string> = {
  print_bed_temperature: 'material_bed_temperature',
  print_temperature: 'material_print_temperature',
  travel_speed: 'speed_travel',
};

/** Placeholder values looked up on demand: most start G-codes use a handful of the ~600 settings. */
export function placeholderLookup(stacks: SettingStacks, options: EngineSettingsOptions = {}): PlaceholderLookup {
  const extras = extraTokens(options.initialExtruder ?? 0, options.now ?? new Date());
  return (stackLabel, key) => {
    const stack = stackLabel === '-1' ? GLOBAL : Number(stackLabel);
    if (!Number.isInteger(stack) || stack < GLOBAL || stack >= stacks.extruderCount) return undefined;
    if (Object.prototype.hasOwnProperty.call(extras, key)) return extras[key];
    const setting = renamedTokens[key] ?? key;
    if (!stacks.has(stack, setting)) return undefined;
    const definition = stacks.definitionOf(setting, stack);
    if (!definition || definition.type === 'category') return undefined;
    return placeholderText(stacks.value(stack, setting));
  };
}

export function buildEngineSettings(stacks: SettingStacks, options: EngineSettingsOptions = {}): EngineSettings {
  const initial = options.initialExtruder ?? 0;
  const tokens = placeholderLookup(stacks, options);
  const format = (stack: number): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const key of stacks.keys(stack)) {
      const definition = stacks.definitionOf(key, stack);
      if (!definition || definition.type === 'category') continue;
      out[key] = formatForEngine(stacks.value(stack, key), definition.type);
    }
    return out;
  };
  const global = format(GLOBAL);
  const startGcode = String(stacks.value(GLOBAL, 'machine_start_gcode') ?? '');
  const prepends = temperaturePrepends(startGcode);
  global.material_bed_temp_prepend = prepends.bed ? 'True' : 'False';
  global.material_print_temp_prepend = prepends.print ? 'True' : 'False';
  global.machine_start_gcode = expandPlaceholders(startGcode, tokens, initial);
  global.machine_end_gcode = expandPlaceholders(String(stacks.value(GLOBAL, 'machine_end_gcode') ?? ''), tokens, initial);
  const extruders: Record<string, string>[] = [];
  for (let position = 0; position < stacks.extruderCount; position += 1) {
    const settings = format(position);
    for (const key of ['machine_extruder_start_code', 'machine_extruder_end_code']) {
      if (key in settings) settings[key] = expandPlaceholders(String(stacks.value(position, key) ?? ''), tokens, position);
    }
    extruders.push(settings);
  }
  return { global, extruders };
}
