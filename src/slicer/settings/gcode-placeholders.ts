// Replaces `{setting}` and `{setting, extruder_nr}` placeholders in start/end G-code the way Cura
// does (Python's str.format with Cura's formatter): `{{`/`}}` are literal braces, an unknown
// placeholder is left as written, and a template Python could not format is returned unchanged.

/** Setting values as text, per stack: "-1" is the global stack, "0", "1", … the extruders. */
export type PlaceholderValues = Record<string, Record<string, string>>;

/** A setting's text in a stack ("-1" global, "0", "1", … extruders), or undefined when that stack has no such setting. */
export type PlaceholderLookup = (stack: string, key: string) => string | undefined;

function lookupIn(values: PlaceholderValues): PlaceholderLookup {
  return (stack, key) => (values[stack] && Object.prototype.hasOwnProperty.call(values[stack], key) ? values[stack][key] : undefined);
}

export function expandPlaceholders(template: string, values: PlaceholderValues | PlaceholderLookup, defaultExtruder: number): string {
  if (!template.includes('{') && !template.includes('}')) return template;
  const lookup = typeof values === 'function' ? values : lookupIn(values);
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      const close = template.indexOf('}', i + 1);
      const nested = template.indexOf('{', i + 1);
      if (close < 0 || (nested >= 0 && nested < close)) return template;
      out += replacement(template.slice(i + 1, close), lookup, defaultExtruder);
      i = close + 1;
      continue;
    }
    if (c === '}') {
      if (template[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      return template;
    }
    out += c;
    i += 1;
  }
  return out;
}

function replacement(field: string, lookup: PlaceholderLookup, defaultExtruder: number): string {
  // Python's formatter splits off a conversion (!r) and a format spec (:…) before looking the name up.
  const name = field.split(/[!:]/, 1)[0];
  const fragments = name.split(',').map((fragment) => fragment.trim());
  let extruder = defaultExtruder;
  if (fragments.length === 2) {
    const explicit = Number(fragments[1]);
    if (fragments[1] !== '' && Number.isInteger(explicit)) extruder = explicit;
    else {
      const viaSetting = Number(lookup('-1', fragments[1]));
      if (Number.isInteger(viaSetting)) extruder = viaSetting;
    }
  } else if (fragments.length !== 1) {
    return `{${name}}`;
  }
  const key = fragments[0];
  return lookup(String(extruder), key) ?? lookup('-1', key) ?? `{${key}}`;
}

const bedTemperaturePattern = /\{(material_bed_temperature|material_bed_temperature_layer_0)(,\s?\w+)?\}/;
const printTemperaturePattern =
  /\{(material_print_temperature|material_print_temperature_layer_0|default_material_print_temperature|material_initial_print_temperature|material_final_print_temperature|material_standby_temperature)(,\s?\w+)?\}/;

/**
 * Whether the engine should heat the bed / nozzle before the start G-code: only when the start
 * G-code does not do it itself through a temperature placeholder (Cura's *_temp_prepend settings).
 */
export function temperaturePrepends(startGcode: string): { bed: boolean; print: boolean } {
  return { bed: !bedTemperaturePattern.test(startGcode), print: !printTemperaturePattern.test(startGcode) };
}
