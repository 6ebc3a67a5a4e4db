// The user's changes in the shape Cura keeps them (one map for the global stack, one per extruder),
// and how a typed-in value becomes a value of the setting's type. A string starting with "=" is a
// formula, as in Cura's profile files.
import type { SettingDefinition } from './definition-container.js';
import type { PyValue } from '../expression/python-values.js';

export interface SettingChanges {
  global: Record<string, unknown>;
  extruders: Record<string, Record<string, unknown>>;
}

export function emptyChanges(): SettingChanges {
  return { global: {}, extruders: {} };
}

export type CoercedValue = { ok: true; value: PyValue } | { ok: false; message: string };

function parseDecimal(text: string): number | null {
  let cleaned = text.trim();
  // A decimal comma is how most of the world types 0,28; the engine would read it as 0.
  if (/^[+-]?\d*,\d+$/.test(cleaned)) cleaned = cleaned.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return null;
  return Number(cleaned);
}

function isJsonList(value: unknown): value is PyValue[] {
  return Array.isArray(value);
}

export function coerceUserValue(definition: SettingDefinition, input: unknown): CoercedValue {
  const label = definition.label;
  if (typeof input === 'string' && input.startsWith('=')) return { ok: true, value: input };
  switch (definition.type) {
    case 'float':
    case 'int': {
      const number = typeof input === 'number' ? input : typeof input === 'string' ? parseDecimal(input) : typeof input === 'boolean' ? Number(input) : null;
      if (number === null || !Number.isFinite(number)) return { ok: false, message: `${label} needs a number, not "${String(input)}".` };
      if (definition.type === 'int' && !Number.isInteger(number)) return { ok: false, message: `${label} needs a whole number, not ${number}.` };
      return { ok: true, value: number };
    }
    case 'bool': {
      if (typeof input === 'boolean') return { ok: true, value: input };
      if (typeof input === 'string' && /^(true|false)$/i.test(input.trim())) return { ok: true, value: input.trim().toLowerCase() === 'true' };
      if (input === 0 || input === 1) return { ok: true, value: input === 1 };
      return { ok: false, message: `${label} is either on or off (true or false), not "${String(input)}".` };
    }
    case 'enum': {
      const options = definition.options ?? {};
      const text = String(input);
      if (Object.prototype.hasOwnProperty.call(options, text)) return { ok: true, value: text };
      const match = Object.keys(options).find((key) => key.toLowerCase() === text.toLowerCase() || options[key].toLowerCase() === text.toLowerCase());
      if (match) return { ok: true, value: match };
      return { ok: false, message: `${label} must be one of ${Object.keys(options).join(', ')}; "${text}" is not one of them.` };
    }
    case 'extruder':
    case 'optional_extruder': {
      const number = typeof input === 'number' ? input : typeof input === 'string' ? Number(input.trim()) : Number.NaN;
      const lowest = definition.type === 'optional_extruder' ? -1 : 0;
      if (!Number.isInteger(number) || number < lowest) return { ok: false, message: `${label} needs an extruder number, not "${String(input)}".` };
      // Cura keeps extruder choices as strings.
      return { ok: true, value: String(number) };
    }
    case 'polygon':
    case 'polygons':
    case '[int]': {
      if (isJsonList(input)) return { ok: true, value: input };
      if (typeof input === 'string') {
        try {
          const parsed: unknown = JSON.parse(input);
          if (isJsonList(parsed)) return { ok: true, value: parsed };
        } catch {
          // fall through to the message
        }
      }
      return { ok: false, message: `${label} needs a list such as [[0, 0], [10, 0], [10, 10]], not "${String(input)}".` };
    }
    case 'category':
      return { ok: false, message: `${label} is a category, not a setting.` };
    default:
      if (typeof input === 'string') return { ok: true, value: input };
      if (typeof input === 'number' || typeof input === 'boolean') return { ok: true, value: String(input) };
      return { ok: false, message: `${label} needs text.` };
  }
}
