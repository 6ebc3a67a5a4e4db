// CuraEngine (the cura-wasm build) reports progress and print metadata by asking the host to run a
// script, e.g. `globalThis["cura-wasm-progress-callback"](0.420000)`. We never evaluate it: we parse
// the one call shape the engine produces and hand the arguments to the two functions we know.

/** What the engine reports at the end of a slice (through the metadata callback). */
export interface EngineMetadata {
  flavor: string;
  printSeconds: number;
  /** Filament per extruder, in mm³ as the engine counts it for extruders 1 and 2. */
  material1: number;
  material2: number;
  nozzleSize: number;
  filament: number;
}

export type EngineScriptCall = { kind: 'progress'; fraction: number } | ({ kind: 'metadata' } & EngineMetadata);

const progressName = 'cura-wasm-progress-callback';
const metadataName = 'cura-wasm-metadata-callback';

type Literal = string | number;

/** Parses `globalThis["name"](arg, …)` with number and double-quoted string arguments; null otherwise. */
export function parseEngineScript(script: string): EngineScriptCall | null {
  const call = /^\s*globalThis\s*\[\s*"([A-Za-z0-9_-]+)"\s*\]\s*\(([\s\S]*)\)\s*;?\s*$/.exec(script);
  if (!call) return null;
  const args = parseArguments(call[2]);
  if (!args) return null;
  if (call[1] === progressName) {
    const [fraction] = args;
    if (args.length !== 1 || typeof fraction !== 'number') return null;
    return { kind: 'progress', fraction };
  }
  if (call[1] === metadataName) {
    const [flavor, printSeconds, material1, material2, nozzleSize, filament] = args;
    if (
      args.length !== 6 ||
      typeof flavor !== 'string' ||
      typeof printSeconds !== 'number' ||
      typeof material1 !== 'number' ||
      typeof material2 !== 'number' ||
      typeof nozzleSize !== 'number' ||
      typeof filament !== 'number'
    ) {
      return null;
    }
    return { kind: 'metadata', flavor, printSeconds, material1, material2, nozzleSize, filament };
  }
  return null;
}

function parseArguments(text: string): Literal[] | null {
  const args: Literal[] = [];
  let rest = text.trim();
  if (rest === '') return args;
  for (;;) {
    const literal = /^(?:"((?:[^"\\]|\\.)*)"|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan|Infinity|NaN)))/.exec(rest);
    if (!literal) return null;
    if (literal[1] !== undefined) args.push(unescape(literal[1]));
    else args.push(toNumber(literal[2] ?? literal[0]));
    rest = rest.slice(literal[0].length).trimStart();
    if (rest === '') return args;
    if (rest[0] !== ',') return null;
    rest = rest.slice(1).trimStart();
  }
}

function toNumber(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower.endsWith('nan')) return NaN;
  return Number(text);
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char));
}
