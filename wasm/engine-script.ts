// CuraEngine under Emscripten reports to its host by asking it to run a script (emscripten_run_script).
// We never evaluate it: we parse the few call shapes the engines produce and hand the arguments on.
//   - both engines: `globalThis["cura-wasm-progress-callback"](0.42)` (5.13 takes the name from
//     `--progress_cb`, and we give it this one);
//   - the 2020 build (cura-wasm): `globalThis["cura-wasm-metadata-callback"]("Marlin", 6934, …)`;
//   - CuraEngine 5.13 (src/communication/EmscriptenCommunication.cpp), with the names we pass:
//     `globalThis["sliceport-gcode-header"]("<base64 of the final G-code header>")` (5.13 under Emscripten
//     leaves the header out of the file and sends it once the times and amounts are known),
//     `globalThis["sliceport-slice-info"]({…json…})` and `globalThis["sliceport-engine-info"]({…json…})`.

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

export type EngineScriptCall =
  | { kind: 'progress'; fraction: number }
  | ({ kind: 'metadata' } & EngineMetadata)
  | { kind: 'gcode-header'; text: string }
  | { kind: 'slice-info'; info: Record<string, unknown> }
  | { kind: 'engine-info'; info: Record<string, unknown> };

const progressName = 'cura-wasm-progress-callback';
const metadataName = 'cura-wasm-metadata-callback';
const gcodeHeaderName = 'sliceport-gcode-header';
const sliceInfoName = 'sliceport-slice-info';
const engineInfoName = 'sliceport-engine-info';

/** The callback names CuraEngine 5.13 is told to call (its `--*_cb` options). */
export const engineCallbackArguments: readonly string[] = [
  '--progress_cb',
  progressName,
  '--gcode_header_cb',
  gcodeHeaderName,
  '--slice_info_cb',
  sliceInfoName,
  '--engine_info_cb',
  engineInfoName,
];

type Literal = string | number;

/** Parses `globalThis["name"](arg, …)` with number and double-quoted string arguments; null otherwise. */
export function parseEngineScript(script: string): EngineScriptCall | null {
  const call = /^\s*globalThis\s*\[\s*"([A-Za-z0-9_-]+)"\s*\]\s*\(([\s\S]*)\)\s*;?\s*$/.exec(script);
  if (!call) return null;
  if (call[1] === sliceInfoName || call[1] === engineInfoName) {
    const info = parseJsonObject(call[2]);
    if (!info) return null;
    return call[1] === sliceInfoName ? { kind: 'slice-info', info } : { kind: 'engine-info', info };
  }
  const args = parseArguments(call[2]);
  if (!args) return null;
  if (call[1] === gcodeHeaderName) {
    const [encoded] = args;
    if (args.length !== 1 || typeof encoded !== 'string') return null;
    const text = decodeBase64Text(encoded);
    return text === null ? null : { kind: 'gcode-header', text };
  }
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

/** A JSON object literal (the engine writes it with rapidjson); null for anything else. */
function parseJsonObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** UTF-8 text from standard base64; null when it is not base64. */
function decodeBase64Text(encoded: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return null;
  try {
    const binary = atob(encoded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
