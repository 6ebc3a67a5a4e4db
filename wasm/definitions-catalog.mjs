// Builds the printer catalog index from a folder of Cura definition files: one entry per machine
// with its name, maker, build volume and extruder count, so the printer picker can search without
// loading 300 files. Plain JavaScript: it runs at install time, before any TypeScript tooling.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads every `*.def.json` in `dir`, keyed by lower-case id (file names are lower case, references are not always). */
export function readDefinitions(dir) {
  const files = new Map();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.def.json')) continue;
    files.set(name.slice(0, -'.def.json'.length).toLowerCase(), JSON.parse(readFileSync(join(dir, name), 'utf8')));
  }
  return files;
}

function chainOf(files, id) {
  const chain = [];
  const seen = new Set();
  let current = id.toLowerCase();
  while (current) {
    if (seen.has(current)) throw new Error(`definition ${id}: inheritance loop at ${current}`);
    seen.add(current);
    const file = files.get(current);
    if (!file) throw new Error(`definition ${id}: parent "${current}" is missing`);
    chain.push(file);
    current = typeof file.inherits === 'string' ? file.inherits.toLowerCase() : '';
  }
  return chain;
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
function machineLiteral(chain, key) {
  for (const file of chain) {
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

export function buildCatalog(dir) {
  const files = readDefinitions(dir);
  const printer = files.get('fdmprinter');
  const machines = [];
  for (const [id, file] of files) {
    if (id === 'fdmprinter' || id === 'fdmextruder') continue;
    if (file.metadata?.type === 'extruder' || file.metadata?.position !== undefined) continue;
    let chain;
    try {
      chain = chainOf(files, id);
    } catch {
      continue;
    }
    if (chain[chain.length - 1] !== printer) continue;
    const metadata = Object.assign({}, ...chain.map((f) => f.metadata ?? {}).reverse());
    const trains = metadata.machine_extruder_trains ?? {};
    const extruderCount = Number(machineLiteral(chain, 'machine_extruder_count') ?? Object.keys(trains).length) || 1;
    machines.push({
      id,
      name: String(file.name ?? id),
      manufacturer: String(metadata.manufacturer ?? 'Unknown'),
      width: Number(machineLiteral(chain, 'machine_width')),
      depth: Number(machineLiteral(chain, 'machine_depth')),
      height: Number(machineLiteral(chain, 'machine_height')),
      shape: machineLiteral(chain, 'machine_shape') === 'elliptic' ? 'elliptic' : 'rectangular',
      originAtCenter: machineLiteral(chain, 'machine_center_is_zero') === true,
      extruderCount,
      concrete: metadata.visible === true && Object.values(trains).every((train) => files.has(String(train).toLowerCase())),
    });
  }
  machines.sort((a, b) => a.manufacturer.localeCompare(b.manufacturer) || a.name.localeCompare(b.name));
  return { settingVersion: Number(printer?.metadata?.setting_version ?? 0), machines };
}
