// Commands that can harm the printer or undo its setup, whether typed in the terminal or found in a file.
// They are not refused (each has its uses); the user is asked first, told in plain words what it does.
//
// - M502 then M500: factory settings saved over the printer's own (steps, offsets, PID, mesh) in EEPROM.
//   M502 alone only changes the settings until the next restart; an M501 in between reloads the saved ones.
// - M997: firmware update; a wrong or interrupted one leaves the board unable to start.
// - M303: PID autotune; heats on its own and cycles the heater, to be watched from start to end.
// - M211 S0: software endstops off; moves can then drive the axes past their ends into the frame.
// - M302 P1: extrusion allowed whatever the temperature; a cold nozzle can strip or jam the filament.

import { stripComment } from './engine/line-framing.js';
import { parseCommandWords } from './simulator/command-words.js';

export type DangerousCode = 'M502+M500' | 'M997' | 'M303' | 'M211 S0' | 'M302 P1';

export interface DangerousCommand {
  code: DangerousCode;
  /** What it does, for a person deciding whether to go ahead. */
  why: string;
}

export interface DangerousLine extends DangerousCommand {
  /** 1-based line of the file (or the position in a list of commands). */
  line: number;
  command: string;
}

const WHY: Record<DangerousCode, string> = {
  'M502+M500':
    'Saves factory settings over the printer’s own (steps per mm, offsets, PID tuning, bed mesh) in its memory (M502 then M500). They cannot be brought back unless you wrote them down.',
  M997: 'Starts a firmware update. A wrong or interrupted update can leave the printer unable to start until it is reflashed.',
  M303: 'Runs a PID autotune: the printer heats on its own and cycles the heater for several minutes. Stay with it until it finishes.',
  'M211 S0': 'Turns the software endstops off: moves can then drive the axes past their ends and into the frame.',
  'M302 P1': 'Allows extrusion at any temperature: pushing filament through a cold nozzle can strip or jam it.',
};

/** The part of a line Marlin acts on: comment, line number and checksum removed. */
function commandOf(line: string): string {
  return stripComment(line)
    .replace(/^N\s*\d+\s*/i, '')
    .replace(/\*\s*\d+\s*$/, '')
    .trim();
}

/**
 * Reads commands in order and reports the dangerous ones. It remembers an M502 not yet undone, so that
 * the M500 after it is recognised as a factory reset being saved (in a file, or across a terminal session).
 */
export class DangerousCommandReader {
  private factoryDefaultsLoaded = false;

  /** The danger in `line`, or null. Updates what the reader remembers as if the line were executed. */
  read(line: string): DangerousCommand | null {
    // Nearly every line of a print is a move: skip the parse for lines without an M at all.
    if (line.indexOf('M') < 0 && line.indexOf('m') < 0) return null;
    const words = parseCommandWords(commandOf(line));
    if (words.letter !== 'M') return null;
    switch (words.code) {
      case 502:
        this.factoryDefaultsLoaded = true;
        return null;
      case 501:
        this.factoryDefaultsLoaded = false;
        return null;
      case 500:
        return this.factoryDefaultsLoaded ? danger('M502+M500') : null;
      case 997:
        return danger('M997');
      case 303:
        return danger('M303');
      case 211:
        return words.params.get('S') === 0 ? danger('M211 S0') : null;
      case 302:
        return words.params.get('P') === 1 ? danger('M302 P1') : null;
      default:
        return null;
    }
  }

  /** What `line` would be, without remembering it (for asking before a command is sent). */
  peek(line: string): DangerousCommand | null {
    const remembered = this.factoryDefaultsLoaded;
    const found = this.read(line);
    this.factoryDefaultsLoaded = remembered;
    return found;
  }

  /** Forget the session (a new connection: the printer restarted with its saved settings). */
  reset(): void {
    this.factoryDefaultsLoaded = false;
  }
}

/** The dangerous command in one line on its own (no earlier M502 known), or null. */
export function classifyCommand(line: string): DangerousCommand | null {
  return new DangerousCommandReader().read(line);
}

/** Every dangerous line among `lines`, numbered from 1. */
export function findDangerousLines(lines: Iterable<string>): DangerousLine[] {
  const reader = new DangerousCommandReader();
  const found: DangerousLine[] = [];
  let n = 0;
  for (const line of lines) {
    n++;
    const danger = reader.read(line);
    if (danger) found.push({ ...danger, line: n, command: commandOf(line) });
  }
  return found;
}

/**
 * Every dangerous line of a file read in chunks, numbered as the preflight counts them (every line, from
 * 1). Only lines holding an M are turned into text: a print is nearly all moves, and this runs on the
 * page before a print starts.
 */
export async function findDangerousLinesInChunks(chunks: AsyncIterable<Uint8Array>): Promise<DangerousLine[]> {
  const reader = new DangerousCommandReader();
  const found: DangerousLine[] = [];
  let lineNumber = 1;
  let carry = new Uint8Array(0);
  const check = (data: Uint8Array, start: number, end: number): void => {
    let text = '';
    for (let i = start; i < end; i += 4096) text += String.fromCharCode.apply(null, Array.from(data.subarray(i, Math.min(end, i + 4096))));
    const danger = reader.read(text);
    if (danger) found.push({ ...danger, line: lineNumber, command: commandOf(text) });
  };
  for await (const chunk of chunks) {
    let data = chunk;
    if (carry.length > 0) {
      data = new Uint8Array(carry.length + chunk.length);
      data.set(carry);
      data.set(chunk, carry.length);
    }
    let start = 0;
    let hasM = false;
    for (let i = 0; i < data.length; i++) {
      const byte = data[i]!;
      if (byte === 0x4d || byte === 0x6d) hasM = true;
      else if (byte === 0x0a) {
        if (hasM) check(data, start, i);
        lineNumber++;
        start = i + 1;
        hasM = false;
      }
    }
    carry = data.slice(start);
  }
  if (carry.length > 0) check(carry, 0, carry.length);
  return found;
}

/** One sentence per kind of danger, with the lines it is on: for the question before a print. */
export function describeDangerousLines(found: readonly DangerousLine[], listedLines = 10): string {
  const byCode = new Map<DangerousCode, number[]>();
  for (const f of found) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f.line]);
  return [...byCode.entries()]
    .map(([code, lines]) => {
      const shown = lines.slice(0, listedLines).join(', ');
      const more = lines.length > listedLines ? ` and ${lines.length - listedLines} more` : '';
      return `${code} (line${lines.length > 1 ? 's' : ''} ${shown}${more}): ${WHY[code]}`;
    })
    .join('\n');
}

function danger(code: DangerousCode): DangerousCommand {
  return { code, why: WHY[code] };
}
