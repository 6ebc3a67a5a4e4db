// Uranium's validator: a number below `minimum_value` or above `maximum_value` is an error (Cura
// will not slice), outside the `*_warning` bounds a warning; `warning_value`/`error_value` flag one
// exact value. Only numeric settings have bounds.
import { pyCompare, pyEquals, pyStr, type PyValue } from '../expression/python-values.js';
import type { SettingDefinition } from './definition-container.js';

export interface Validation {
  state: 'valid' | 'warning' | 'error';
  /** For a person. */
  message?: string;
}

type PropertyReader = (property: 'value' | 'minimum_value' | 'maximum_value' | 'minimum_value_warning' | 'maximum_value_warning' | 'warning_value' | 'error_value') => PyValue;

function show(value: PyValue, unit: string): string {
  const text = typeof value === 'number' ? String(Number(value.toFixed(4))) : pyStr(value);
  return unit ? `${text} ${unit}` : text;
}

export function validateSetting(definition: SettingDefinition, read: PropertyReader): Validation {
  const numeric = definition.type === 'float' || definition.type === 'int';
  const errorValue = read('error_value');
  const warningValue = read('warning_value');
  if (!numeric && errorValue === null && warningValue === null) return { state: 'valid' };
  const value = read('value');
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
    return { state: 'error', message: `${definition.label} has no value that can be checked.` };
  }
  const unit = definition.unit;
  try {
    if (numeric) {
      const minimum = read('minimum_value');
      const maximum = read('maximum_value');
      if (minimum !== null && pyCompare(value, minimum, '<') < 0) {
        return { state: 'error', message: `${definition.label} must be at least ${show(minimum, unit)}.` };
      }
      if (maximum !== null && pyCompare(value, maximum, '>') > 0) {
        return { state: 'error', message: `${definition.label} must be at most ${show(maximum, unit)}.` };
      }
    }
    if (errorValue !== null && pyEquals(value, errorValue)) {
      return { state: 'error', message: `${definition.label} cannot be ${show(value, unit)} here.` };
    }
    if (numeric) {
      const minimumWarning = read('minimum_value_warning');
      const maximumWarning = read('maximum_value_warning');
      if (minimumWarning !== null && pyCompare(value, minimumWarning, '<') < 0) {
        return { state: 'warning', message: `${definition.label} is usually at least ${show(minimumWarning, unit)}.` };
      }
      if (maximumWarning !== null && pyCompare(value, maximumWarning, '>') > 0) {
        return { state: 'warning', message: `${definition.label} is usually at most ${show(maximumWarning, unit)}.` };
      }
    }
    if (warningValue !== null && pyEquals(value, warningValue)) {
      return { state: 'warning', message: `${definition.label} at ${show(value, unit)} may not print well.` };
    }
  } catch (error) {
    return { state: 'error', message: `${definition.label} could not be checked: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { state: 'valid' };
}
