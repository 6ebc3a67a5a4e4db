// The containers of a setting stack, as Uranium has them: a user or profile container holds plain
// values (a string starting with "=" is a formula, as in Cura's profile files); a definition
// container answers every property of its settings, `value` falling back to `default_value`, with
// Uranium's property defaults (enabled: True, limit_to_extruder: "-1").
import { compileFormula, type Formula } from '../expression/formula.js';
import type { PyValue } from '../expression/python-values.js';
import type { DefinitionContainer } from './definition-container.js';
import type { SettingJson } from './definition-files.js';

/** The properties that may hold a formula (Uranium's "function" properties). */
export const functionProperties = [
  'value',
  'enabled',
  'resolve',
  'limit_to_extruder',
  'minimum_value',
  'maximum_value',
  'minimum_value_warning',
  'maximum_value_warning',
  'warning_value',
  'error_value',
] as const;
export type FunctionProperty = (typeof functionProperties)[number];

export type Raw = { formula: Formula } | { literal: PyValue };

export const propertyIndex = new Map<FunctionProperty, number>(functionProperties.map((p, i) => [p, i]));

export interface Container {
  readonly name: string;
  get(key: string, property: FunctionProperty): Raw | undefined;
  has(key: string): boolean;
}

function toRaw(value: unknown): Raw {
  if (typeof value === 'string') return { formula: compileFormula(value) };
  return { literal: value as PyValue };
}

/** A user or profile container: values only; a string starting with "=" is a formula. */
export class ValueContainer implements Container {
  readonly values = new Map<string, PyValue>();
  constructor(readonly name: string) {}
  get(key: string, property: FunctionProperty): Raw | undefined {
    if (property !== 'value' || !this.values.has(key)) return undefined;
    const value = this.values.get(key) as PyValue;
    if (typeof value === 'string' && value.startsWith('=')) return { formula: compileFormula(value.slice(1)) };
    return { literal: value };
  }
  has(key: string): boolean {
    return this.values.has(key);
  }
}

/**
 * Raw properties per setting-properties object. Definitions are immutable and a setting no file
 * overrides keeps fdmprinter's properties object, so every printer loaded from the same files shares
 * this work.
 */
const rawCache = new WeakMap<object, (Raw | null | undefined)[]>();

export function rawOf(properties: Readonly<SettingJson>, property: FunctionProperty): Raw | null {
  let raws = rawCache.get(properties);
  if (!raws) {
    raws = new Array(functionProperties.length);
    rawCache.set(properties, raws);
  }
  const index = propertyIndex.get(property) as number;
  let raw = raws[index];
  if (raw === undefined) {
    raw = computeRaw(properties, property);
    raws[index] = raw;
  }
  return raw;
}

function computeRaw(props: Readonly<SettingJson>, property: FunctionProperty): Raw | null {
  if (property === 'value') {
    if (props.value !== undefined && props.value !== null) return toRaw(props.value);
    if (props.default_value !== undefined && props.default_value !== null) return { literal: props.default_value as PyValue };
    return null;
  }
  const value = props[property];
  if (value !== undefined && value !== null) return toRaw(value);
  if (property === 'enabled') return { literal: true };
  if (property === 'limit_to_extruder') return { literal: '-1' };
  return null;
}

/** Uranium's DefinitionContainer.getProperty: `value` falls back to `default_value`; property defaults apply. */
export class DefinitionLayer implements Container {
  constructor(readonly definition: DefinitionContainer) {}
  get name(): string {
    return this.definition.id;
  }
  has(key: string): boolean {
    return this.definition.settings.has(key);
  }
  get(key: string, property: FunctionProperty): Raw | undefined {
    const setting = this.definition.settings.get(key);
    if (!setting) return undefined;
    return rawOf(setting.properties, property) ?? undefined;
  }
}
