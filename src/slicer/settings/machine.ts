// Loads a printer: its definition along the inherits chain and the definitions of its extruder
// trains. Ids are looked up case-insensitively: the packaged files are lower-cased, but some
// `inherits` and `machine_extruder_trains` entries are not (e.g. `101Hero_extruder_0`).
import { buildDefinitionContainer, type DefinitionContainer } from './definition-container.js';
import type { DefinitionFile, DefinitionSource } from './definition-files.js';

export interface Machine {
  id: string;
  definition: DefinitionContainer;
  /** Extruder definitions by position (0, 1, …), one per extruder train. */
  extruders: DefinitionContainer[];
}

const maxChain = 32;

async function loadChain(source: DefinitionSource, id: string): Promise<{ ids: string[]; files: DefinitionFile[] }> {
  const ids: string[] = [];
  const files: DefinitionFile[] = [];
  let current: string | undefined = id.toLowerCase();
  while (current) {
    if (ids.includes(current) || ids.length > maxChain) throw new Error(`definition ${id}: its inherits chain loops at "${current}"`);
    const file = await source.load(current);
    ids.push(current);
    files.push(file);
    current = typeof file.inherits === 'string' ? file.inherits.toLowerCase() : undefined;
  }
  return { ids, files };
}

export async function loadMachine(source: DefinitionSource, id: string): Promise<Machine> {
  const chain = await loadChain(source, id);
  const definition = buildDefinitionContainer(chain.ids, chain.files);
  if (definition.metadata.type === 'extruder' || definition.metadata.position !== undefined) {
    throw new Error(`"${id}" is an extruder definition, not a printer.`);
  }
  const trains = (definition.metadata.machine_extruder_trains ?? { '0': 'fdmextruder' }) as Record<string, string>;
  const positions = Object.keys(trains)
    .map(Number)
    .filter((position) => Number.isInteger(position) && position >= 0)
    .sort((a, b) => a - b);
  const extruders: DefinitionContainer[] = [];
  for (const position of positions) {
    const extruderChain = await loadChain(source, String(trains[String(position)]));
    extruders[position] = buildDefinitionContainer(extruderChain.ids, extruderChain.files);
  }
  if (extruders.length === 0 || extruders.some((extruder) => !extruder)) {
    throw new Error(`definition ${id}: its extruder trains are not numbered 0, 1, …`);
  }
  return { id: definition.id, definition, extruders };
}
