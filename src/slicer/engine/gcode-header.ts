// What a sliced G-code says about itself. CuraEngine writes its header before it knows the results
// (`;TIME:6666`, `;Filament used: 0m`, empty bounds) and logs the true header when it finishes, as Cura's
// front end expects to substitute it. We do the same, so the stored file carries the real figures for the
// printer view and any other host, and we read the summary from it.

export interface GcodeHeaderFacts {
  flavor?: string;
  printSeconds?: number;
  /** Filament length per extruder, mm. */
  filamentMm: number[];
  layerHeight?: number;
  bounds: { min: [number, number, number]; max: [number, number, number] } | null;
}

/** Which engine and which printer catalog made a G-code: written into its header. */
export interface SliceProvenance {
  /** "CuraEngine 5.13.0" */
  engine: string;
  /** "Cura resources 5.13.0 (setting_version 27)" */
  catalog?: string;
}

/** `;Sliceport engine: …` and `;Sliceport catalog: …` lines (single-line values, no control characters). */
export function provenanceLines(provenance: SliceProvenance): string[] {
  const clean = (value: string) => value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const lines = [`;Sliceport engine: ${clean(provenance.engine)}`];
  if (provenance.catalog) lines.push(`;Sliceport catalog: ${clean(provenance.catalog)}`);
  return lines;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads the engine's final header block from its log: the lines between the two markers. */
export function headerFromEngineLog(logLines: readonly string[]): string[] | null {
  const start = logLines.findIndex((line) => line.trim() === 'Gcode header after slicing:');
  if (start < 0) return null;
  const end = logLines.findIndex((line, index) => index > start && line.trim() === 'End of gcode header.');
  if (end < 0) return null;
  return logLines.slice(start + 1, end).filter((line) => line.startsWith(';'));
}

/**
 * Replaces the placeholder header at the top of the G-code (the `;`-lines before the first blank line)
 * with `header`. Only the head of the file is decoded.
 */
export function replaceHeader(gcode: Uint8Array, header: readonly string[]): Uint8Array {
  const headLength = Math.min(gcode.length, 8192);
  const head = decoder.decode(gcode.subarray(0, headLength));
  const lines = head.split('\n');
  let consumedChars = 0;
  let index = 0;
  while (index < lines.length - 1 && lines[index].startsWith(';') && !lines[index].startsWith(';Generated with')) {
    consumedChars += lines[index].length + 1;
    index++;
  }
  if (index === 0) return gcode;
  const consumedBytes = encoder.encode(head.slice(0, consumedChars)).length;
  const replacement = encoder.encode(header.map((line) => `${line}\n`).join(''));
  const out = new Uint8Array(replacement.length + gcode.length - consumedBytes);
  out.set(replacement, 0);
  out.set(gcode.subarray(consumedBytes), replacement.length);
  return out;
}

/** Puts `header` in front of the G-code (CuraEngine 5.13 under Emscripten leaves its header out of the file). */
export function prependHeader(gcode: Uint8Array, header: readonly string[]): Uint8Array {
  const replacement = encoder.encode(header.map((line) => `${line}\n`).join(''));
  const out = new Uint8Array(replacement.length + gcode.length);
  out.set(replacement, 0);
  out.set(gcode, replacement.length);
  return out;
}

export function parseHeader(lines: readonly string[]): GcodeHeaderFacts {
  const facts: GcodeHeaderFacts = { filamentMm: [], bounds: null };
  const box: Record<string, number> = {};
  for (const line of lines) {
    const match = /^;([A-Za-z ]+):\s*(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, key, value] = match;
    if (key === 'FLAVOR') facts.flavor = value;
    else if (key === 'TIME') facts.printSeconds = Number(value);
    else if (key === 'Layer height') facts.layerHeight = Number(value);
    else if (key === 'Filament used') {
      facts.filamentMm = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map((part) => (part.endsWith('mm') ? Number(part.slice(0, -2)) : Number(part.replace(/m$/, '')) * 1000));
    } else if (/^(MIN|MAX)[XYZ]$/.test(key)) box[key] = Number(value);
  }
  const keys = ['MINX', 'MINY', 'MINZ', 'MAXX', 'MAXY', 'MAXZ'];
  if (keys.every((key) => Number.isFinite(box[key])) && box.MINX <= box.MAXX && box.MINY <= box.MAXY && box.MINZ <= box.MAXZ) {
    facts.bounds = { min: [box.MINX, box.MINY, box.MINZ], max: [box.MAXX, box.MAXY, box.MAXZ] };
  }
  return facts;
}

/** The `;LAYER_COUNT:` line (written once, after the start G-code); null when absent. */
export function findLayerCount(gcode: Uint8Array): number | null {
  const marker = encoder.encode(';LAYER_COUNT:');
  const at = indexOfBytes(gcode, marker);
  if (at < 0) return null;
  const tail = decoder.decode(gcode.subarray(at + marker.length, Math.min(gcode.length, at + marker.length + 24)));
  const count = Number.parseInt(tail, 10);
  return Number.isFinite(count) ? count : null;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (let i = haystack.indexOf(first); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** Mass in grams of filament lengths (mm) of the given diameters (mm) and densities (g/cm³). */
export function filamentGrams(lengthsMm: readonly number[], diametersMm: readonly number[], densities: readonly number[]): number {
  let grams = 0;
  lengthsMm.forEach((length, extruder) => {
    const diameter = diametersMm[extruder] ?? diametersMm[0] ?? 1.75;
    const density = densities[extruder] ?? densities[0] ?? 1.24;
    const area = Math.PI * (diameter / 2) ** 2;
    grams += (length * area * density) / 1000;
  });
  return grams;
}
