// CuraEngine loads a machine definition and then, by id, every file it refers to: its `inherits` parent
// (up to fdmprinter) and its extruder trains (which inherit fdmextruder). They must all be in the
// engine's file system under `<id>.def.json`, spelled exactly as referred to. The packaged files are
// lower-case while some ids in them are not (`101Hero_extruder_0`), so lookups are case-insensitive and
// each file is written under every spelling that refers to it.

/** Returns the definition's JSON text for a lower-case id, or undefined when there is none. */
export type DefinitionLoader = (lowerCaseId: string) => Promise<string | undefined>;

export interface DefinitionFile {
  /** The id as it is referred to: the engine looks for `<fileId>.def.json`. */
  fileId: string;
  text: string;
}

export class MissingDefinitionError extends Error {
  constructor(
    readonly definitionId: string,
    readonly neededBy: string | null,
  ) {
    super(
      neededBy
        ? `The printer definition "${definitionId}" (needed by "${neededBy}") is missing.`
        : `The printer definition "${definitionId}" is missing.`,
    );
  }
}

interface DefinitionShape {
  inherits?: unknown;
  metadata?: { machine_extruder_trains?: unknown };
}

/** Every file the engine needs for `machineId`, the machine's own file first. */
export async function collectDefinitionChain(machineId: string, load: DefinitionLoader): Promise<DefinitionFile[]> {
  const files: DefinitionFile[] = [];
  const written = new Set<string>();
  const texts = new Map<string, string>();
  const queue: { id: string; neededBy: string | null }[] = [
    { id: machineId, neededBy: null },
    { id: 'fdmprinter', neededBy: null },
    { id: 'fdmextruder', neededBy: null },
  ];
  while (queue.length > 0) {
    const { id, neededBy } = queue.shift()!;
    if (written.has(id)) continue;
    written.add(id);
    const key = id.toLowerCase();
    let text = texts.get(key);
    const firstTime = text === undefined;
    if (text === undefined) {
      text = await load(key);
      if (text === undefined) throw new MissingDefinitionError(id, neededBy);
      texts.set(key, text);
    }
    files.push({ fileId: id, text });
    if (!firstTime) continue;
    let parsed: DefinitionShape;
    try {
      parsed = JSON.parse(text) as DefinitionShape;
    } catch (error) {
      throw new Error(`The printer definition "${id}" is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed.inherits === 'string') queue.push({ id: parsed.inherits, neededBy: id });
    const trains = parsed.metadata?.machine_extruder_trains;
    if (trains && typeof trains === 'object') {
      for (const trainId of Object.values(trains as Record<string, unknown>)) {
        if (typeof trainId === 'string') queue.push({ id: trainId, neededBy: id });
      }
    }
  }
  return files;
}
