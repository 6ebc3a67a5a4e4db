// Turns a set of Cura definition files into what the app serves: bundles of definitions (fdmprinter and
// fdmextruder in one, then one per family of machines that share parents or extruder trains) and the
// catalog index the printer picker searches. Plain JavaScript: it runs at install time, before any
// TypeScript tooling, and in tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bumped whenever the output format changes, so a cached or built output is rebuilt. */
export const bundleFormat = 2;

/** The bundle holding fdmprinter and fdmextruder, which every machine needs. */
export const baseBundle = 'fdm';

const definitionSuffix = /\.def\.json$/i;

/** Reads every `*.def.json` in `dirs` (case of the suffix ignored: a few upstream files end in `.def.JSON`). */
export function readDefinitionFolders(dirs) {
  const files = new Map();
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      if (!definitionSuffix.test(name)) continue;
      addDefinition(files, name.replace(definitionSuffix, ''), readFileSync(join(dir, name), 'utf8'), `${dir}/${name}`);
    }
  }
  return files;
}

function addDefinition(files, id, text, where) {
  const key = id.toLowerCase();
  if (files.has(key)) throw new Error(`definitions: two files for the id "${id}" (${where})`);
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`definitions: ${where} is not valid JSON: ${error.message}`);
  }
  files.set(key, { id, json });
}

function chainOf(files, id) {
  const chain = [];
  let current = id.toLowerCase();
  while (current) {
    if (chain.includes(current)) throw new Error(`definition ${id}: inheritance loop at ${current}`);
    const file = files.get(current);
    if (!file) throw new Error(`definition ${id}: parent "${current}" is missing`);
    chain.push(current);
    current = typeof file.json.inherits === 'string' ? file.json.inherits.toLowerCase() : '';
  }
  return chain;
}

function isExtruder(json) {
  return json.metadata?.type === 'extruder' || json.metadata?.position !== undefined;
}

function findSetting(settings, key) {
  for (const [name, setting] of Object.entries(settings ?? {})) {
    if (name === key) return setting;
    const inner = findSetting(setting.children, key);
    if (inner) return inner;
  }
  return undefined;
}

/** A literal value of a machine setting after the inherits chain: the value override if literal, else default_value. */
function machineLiteral(chainFiles, key) {
  for (const file of chainFiles) {
    const override = file.overrides?.[key];
    if (override) {
      if (override.value !== undefined && typeof override.value !== 'string') return override.value;
      if (override.default_value !== undefined) return override.default_value;
    }
    const setting = findSetting(file.settings, key);
    if (setting) return setting.default_value;
  }
  return undefined;
}

/** Every definition a machine needs besides fdmprinter and fdmextruder: its chain and its extruder trains' chains. */
function needsOf(files, id) {
  const needed = new Set();
  for (const link of chainOf(files, id)) {
    needed.add(link);
    const trains = files.get(link).json.metadata?.machine_extruder_trains ?? {};
    for (const train of Object.values(trains)) {
      if (typeof train !== 'string' || !files.has(train.toLowerCase())) continue;
      for (const extruderLink of chainOf(files, train)) needed.add(extruderLink);
    }
  }
  needed.delete('fdmprinter');
  needed.delete('fdmextruder');
  return needed;
}

/**
 * Groups definitions into bundles: machines sharing any file (a parent such as `creality_base`, or an
 * extruder train) land in the same bundle, so every file is in exactly one bundle and loading a
 * machine fetches its own bundle and the base one. Returns id → bundle name.
 */
export function planBundles(files, machineIds) {
  const parent = new Map();
  const find = (x) => {
    while (parent.get(x) !== x) {
      parent.set(x, parent.get(parent.get(x)));
      x = parent.get(x);
    }
    return x;
  };
  const union = (a, b) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const id of machineIds) {
    const needed = [...needsOf(files, id)];
    for (const file of needed) if (!parent.has(file)) parent.set(file, file);
    for (const file of needed) union(needed[0], file);
  }
  const bundleOf = new Map([
    ['fdmprinter', baseBundle],
    ['fdmextruder', baseBundle],
  ]);
  // A bundle is named after the family root of its alphabetically first machine's chain (e.g. creality_base).
  const names = new Map();
  for (const id of [...machineIds].sort()) {
    const root = find(id);
    if (names.has(root)) continue;
    const chain = chainOf(files, id);
    names.set(root, bundleFileName(chain[chain.length - 2] ?? id));
  }
  for (const file of parent.keys()) bundleOf.set(file, names.get(find(file)));
  return bundleOf;
}

function bundleFileName(id) {
  const safe = id.toLowerCase().replace(/[^a-z0-9_.-]/g, '_');
  return safe === baseBundle ? `${safe}_machines` : safe;
}

/** The most common spelling of a maker's name among its machines ("ELEGOO" and "Elegoo" are one brand). */
function brandSpellings(machines) {
  const counts = new Map();
  for (const machine of machines) {
    const key = machine.manufacturer.toLowerCase();
    const forKey = counts.get(key) ?? new Map();
    forKey.set(machine.manufacturer, (forKey.get(machine.manufacturer) ?? 0) + 1);
    counts.set(key, forKey);
  }
  const chosen = new Map();
  for (const [key, forKey] of counts) {
    chosen.set(key, [...forKey].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]);
  }
  return chosen;
}

/**
 * The catalog and the bundles for a set of definition files (Map lower-case id → { id, json }).
 * `source` is the provenance the app shows (package, version, commit, …).
 */
export function buildOutput(files, source) {
  const printer = files.get('fdmprinter');
  if (!printer || !files.has('fdmextruder')) throw new Error('definitions: fdmprinter or fdmextruder is missing');
  const machines = [];
  const skipped = [];
  for (const [key, file] of files) {
    if (key === 'fdmprinter' || key === 'fdmextruder' || isExtruder(file.json)) continue;
    let chain;
    try {
      chain = chainOf(files, key);
    } catch (error) {
      skipped.push(`${file.id}: ${error.message}`);
      continue;
    }
    if (chain[chain.length - 1] !== 'fdmprinter') {
      skipped.push(`${file.id}: does not inherit from fdmprinter`);
      continue;
    }
    const chainFiles = chain.map((id) => files.get(id).json);
    const metadata = Object.assign({}, ...chainFiles.map((f) => f.metadata ?? {}).reverse());
    const trains = metadata.machine_extruder_trains ?? {};
    const extruderCount = Number(machineLiteral(chainFiles, 'machine_extruder_count') ?? Object.keys(trains).length) || 1;
    machines.push({
      id: key,
      name: String(file.json.name ?? file.id),
      manufacturer: String(metadata.manufacturer ?? 'Unknown'),
      width: Number(machineLiteral(chainFiles, 'machine_width')),
      depth: Number(machineLiteral(chainFiles, 'machine_depth')),
      height: Number(machineLiteral(chainFiles, 'machine_height')),
      shape: machineLiteral(chainFiles, 'machine_shape') === 'elliptic' ? 'elliptic' : 'rectangular',
      originAtCenter: machineLiteral(chainFiles, 'machine_center_is_zero') === true,
      extruderCount,
      concrete: metadata.visible === true && Object.values(trains).every((train) => files.has(String(train).toLowerCase())),
    });
  }
  const brands = brandSpellings(machines);
  for (const machine of machines) machine.manufacturer = brands.get(machine.manufacturer.toLowerCase());
  machines.sort((a, b) => a.manufacturer.localeCompare(b.manufacturer, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name, 'en', { numeric: true }));

  const bundleOf = planBundles(
    files,
    machines.map((machine) => machine.id),
  );
  const bundles = new Map();
  for (const [id, bundle] of bundleOf) {
    const content = bundles.get(bundle) ?? {};
    content[id] = files.get(id).json;
    bundles.set(bundle, content);
  }
  const unbundled = [...files.keys()].filter((id) => !bundleOf.has(id));
  const catalog = {
    format: bundleFormat,
    settingVersion: Number(printer.json.metadata?.setting_version ?? 0),
    source: { ...source, settingVersion: Number(printer.json.metadata?.setting_version ?? 0) },
    bundles: Object.fromEntries([...bundleOf].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    machines,
  };
  return { catalog, bundles, skipped, unbundled };
}
