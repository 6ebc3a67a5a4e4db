// Turns resolved settings into the engine's command-line values: every setting of the global stack
// (`-s key=value`) and of each extruder in use (`-e<N> -s key=value`), printed from the setting's
// type (the engine reads `TRUE`, `0,28` or `None` silently wrong and aborts on a non-numeric int),
// with placeholders in the start/end G-code replaced as Cura does.
import { pyStr, truthy, type PyValue } from '../expression/python-values.js';
import type { EngineSettings } from '../slice-api.js';
import { expandPlaceholders, temperaturePrepends, type PlaceholderValues } from './gcode-placeholders.js';
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

function stackTokens(stacks: SettingStacks, stack: number, initialExtruder: number, now: Date): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const key of stacks.keys(stack)) {
    const definition = stacks.definitionOf(key, stack);
    if (!definition || definition.type === 'category') continue;
    tokens[key] = placeholderText(stacks.value(stack, key));
  }
  // The extra tokens Cura offers: renamed settings, material identity, date and time.
  tokens.print_bed_temperature = tokens.material_bed_temperature ?? '';
  tokens.print_temperature = tokens.material_print_temperature ?? '';
  tokens.travel_speed = tokens.speed_travel ?? '';
  tokens.material_id = tokens.material_type = tokens.material_name = tokens.material_brand = '';
  const pad = (n: number) => String(n).padStart(2, '0');
  tokens.time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  tokens.date = `${pad(now.getDate())}-${pad(now.getMonth() + 1)}-${now.getFullYear()}`;
  tokens.day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][now.getDay()];
  tokens.initial_extruder_nr = String(initialExtruder);
  return tokens;
}

export function placeholderValues(stacks: SettingStacks, options: EngineSettingsOptions = {}): PlaceholderValues {
  const initial = options.initialExtruder ?? 0;
  const now = options.now ?? new Date();
  const values: PlaceholderValues = { '-1': stackTokens(stacks, GLOBAL, initial, now) };
  for (let position = 0; position < stacks.extruderCount; position += 1) values[String(position)] = stackTokens(stacks, position, initial, now);
  return values;
}

export function buildEngineSettings(stacks: SettingStacks, options: EngineSettingsOptions = {}): EngineSettings {
  const initial = options.initialExtruder ?? 0;
  const tokens = placeholderValues(stacks, options);
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

/** The engine's argument list for these settings: `-s` globals, then `-e<N> -s` blocks ending with `-e<modelExtruder>`. */
export function engineArguments(settings: EngineSettings, modelExtruder = 0): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(settings.global)) args.push('-s', `${key}=${value}`);
  const order = settings.extruders.map((_, i) => i).filter((i) => i !== modelExtruder);
  if (settings.extruders[modelExtruder]) order.push(modelExtruder);
  for (const position of order) {
    args.push(`-e${position}`);
    for (const [key, value] of Object.entries(settings.extruders[position])) args.push('-s', `${key}=${value}`);
  }
  return args;
}
