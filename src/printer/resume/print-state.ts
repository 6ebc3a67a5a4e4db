// The machine state a G-code file sets up as it runs, followed command by command: position, extrusion
// and positioning modes, units, feed rate, fans, temperatures, tool and G92 shifts. A resume needs it at
// the start of the layer it continues from, so the printer can be put back exactly where the file
// expects it. Semantics follow Marlin: G90 does not undo M83, bare G92 changes nothing.

import type { PrintStateSnapshot } from '../../storage/job-checkpoint.js';

const INCH = 25.4;

export function initialPrintState(): PrintStateSnapshot {
  return {
    x: 0,
    y: 0,
    z: 0,
    e: 0,
    relativePositioning: false,
    relativeExtrusion: false,
    units: 'mm',
    feedRateMmMin: null,
    fans: {},
    hotends: {},
    bed: 0,
    chamber: 0,
    tool: 0,
    waitedHotends: [],
    waitedBed: false,
    offsets: { x: 0, y: 0, z: 0 },
    homed: false,
    maxZ: 0,
  };
}

export function copyPrintState(s: PrintStateSnapshot): PrintStateSnapshot {
  return { ...s, fans: { ...s.fans }, hotends: { ...s.hotends }, waitedHotends: [...s.waitedHotends], offsets: { ...s.offsets } };
}

/** A command split into its word (`G1`, `M104`, `T1`) and its numeric parameters; null when it has none. */
export interface ParsedCommand {
  word: string;
  params: Map<string, number>;
  /** Letters given without a number (`G28 X Y`). */
  flags: Set<string>;
}

export function parseCommand(command: string): ParsedCommand | null {
  const w = new CommandWords();
  if (!w.read(command)) return null;
  const params = new Map<string, number>();
  const flags = new Set<string>();
  for (let i = 0; i < 26; i++) {
    const letter = String.fromCharCode(65 + i);
    if (w.has(letter)) params.set(letter, w.get(letter)!);
    else if (w.flag(letter)) flags.add(letter);
  }
  return { word: w.word, params, flags };
}

/**
 * A command's word and parameters, read by hand into fixed slots: the state of every line of a
 * 25 MB file is followed, so no regular expression or map per line.
 */
export class CommandWords {
  word = '';
  private readonly values = new Float64Array(26);
  private present = 0;
  private flags = 0;

  /** Reads `command`; false when it has no G/M/T word. */
  read(command: string): boolean {
    this.present = 0;
    this.flags = 0;
    const n = command.length;
    let i = 0;
    while (i < n && command.charCodeAt(i) <= 32) i++;
    const letter = command.charCodeAt(i) & ~32;
    if (letter !== 71 && letter !== 77 && letter !== 84) return false; // G M T
    i++;
    while (i < n && command.charCodeAt(i) === 32) i++;
    let code = 0;
    let digits = 0;
    for (let c = command.charCodeAt(i); c >= 48 && c <= 57; c = command.charCodeAt(++i)) {
      code = code * 10 + (c - 48);
      digits++;
    }
    if (digits === 0) return false;
    // A sub-code (G29.1) is dropped: the word is what matters here.
    if (command.charCodeAt(i) === 46) for (i++; i < n && command.charCodeAt(i) >= 48 && command.charCodeAt(i) <= 57; i++);
    this.word = String.fromCharCode(letter) + code;
    while (i < n) {
      const c = command.charCodeAt(i) & ~32;
      if (c < 65 || c > 90) {
        i++;
        continue;
      }
      const slot = c - 65;
      i++;
      while (i < n && command.charCodeAt(i) === 32) i++;
      const start = i;
      if (command.charCodeAt(i) === 45 || command.charCodeAt(i) === 43) i++;
      let seen = false;
      while (i < n) {
        const d = command.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 46) {
          seen = seen || d !== 46;
          i++;
        } else break;
      }
      const v = seen ? Number(command.slice(start, i)) : Number.NaN;
      if (Number.isFinite(v)) {
        this.values[slot] = v;
        this.present |= 1 << slot;
      } else this.flags |= 1 << slot;
    }
    return true;
  }

  has(letter: string): boolean {
    return (this.present & (1 << (letter.charCodeAt(0) - 65))) !== 0;
  }

  get(letter: string): number | undefined {
    const slot = letter.charCodeAt(0) - 65;
    return (this.present & (1 << slot)) !== 0 ? this.values[slot] : undefined;
  }

  flag(letter: string): boolean {
    return (this.flags & (1 << (letter.charCodeAt(0) - 65))) !== 0;
  }
}

/** What a command did that a layer or checkpoint tracker cares about. */
export interface AppliedCommand {
  /** A move (G0–G3). */
  move: boolean;
  /** The move pushed filament out (E grew) while moving in X/Y. */
  extrudes: boolean;
  /** The move changed Z. */
  zChanged: boolean;
  /** The move changed any axis (X, Y, Z or E), so the firmware plans it. */
  displaced: boolean;
}

const NOTHING: AppliedCommand = { move: false, extrudes: false, zChanged: false, displaced: false };

export class PrintState {
  readonly s: PrintStateSnapshot;

  constructor(start: PrintStateSnapshot = initialPrintState()) {
    this.s = copyPrintState(start);
  }

  snapshot(): PrintStateSnapshot {
    return copyPrintState(this.s);
  }

  private readonly words = new CommandWords();

  apply(command: string): AppliedCommand {
    const p = this.words;
    if (!p.read(command)) return NOTHING;
    const s = this.s;
    const unit = s.units === 'inch' ? INCH : 1;
    switch (p.word) {
      case 'G0':
      case 'G1':
      case 'G2':
      case 'G3': {
        const f = p.get('F');
        if (f !== undefined && f > 0) s.feedRateMmMin = f * unit;
        const rel = s.relativePositioning;
        const x = p.has('X') ? (rel ? s.x + p.get('X')! * unit : p.get('X')! * unit) : s.x;
        const y = p.has('Y') ? (rel ? s.y + p.get('Y')! * unit : p.get('Y')! * unit) : s.y;
        const z = p.has('Z') ? (rel ? s.z + p.get('Z')! * unit : p.get('Z')! * unit) : s.z;
        const relE = rel || s.relativeExtrusion;
        const e = p.has('E') ? (relE ? s.e + p.get('E')! * unit : p.get('E')! * unit) : s.e;
        const moved = x !== s.x || y !== s.y || p.word === 'G2' || p.word === 'G3';
        const zChanged = Math.abs(z - s.z) > 1e-9;
        const out: AppliedCommand = { move: true, extrudes: moved && e > s.e + 1e-9, zChanged, displaced: moved || zChanged || e !== s.e };
        s.x = x;
        s.y = y;
        s.z = z;
        s.e = e;
        if (z > s.maxZ) s.maxZ = z;
        return out;
      }
      case 'G20':
        s.units = 'inch';
        return NOTHING;
      case 'G21':
        s.units = 'mm';
        return NOTHING;
      case 'G28': {
        const any = p.flag('X') || p.flag('Y') || p.flag('Z') || p.has('X') || p.has('Y') || p.has('Z');
        const home = (axis: 'X' | 'Y' | 'Z'): boolean => !any || p.flag(axis) || p.has(axis);
        if (home('X')) (s.x = 0), (s.offsets.x = 0);
        if (home('Y')) (s.y = 0), (s.offsets.y = 0);
        if (home('Z')) (s.z = 0), (s.offsets.z = 0);
        s.homed = true;
        return NOTHING;
      }
      case 'G90':
        s.relativePositioning = false;
        return NOTHING;
      case 'G91':
        s.relativePositioning = true;
        return NOTHING;
      case 'G92': {
        for (const axis of ['x', 'y', 'z'] as const) {
          const v = p.get(axis.toUpperCase());
          if (v === undefined) continue;
          const machine = s[axis] - s.offsets[axis];
          s[axis] = v * unit;
          s.offsets[axis] = s[axis] - machine;
        }
        const e = p.get('E');
        if (e !== undefined) s.e = e * unit;
        return NOTHING;
      }
      case 'M82':
        s.relativeExtrusion = false;
        return NOTHING;
      case 'M83':
        s.relativeExtrusion = true;
        return NOTHING;
      case 'M104':
      case 'M109': {
        const t = p.get('S') ?? p.get('R');
        const tool = p.get('T') ?? s.tool;
        if (t !== undefined) s.hotends[tool] = t;
        if (p.word === 'M109' && !s.waitedHotends.includes(tool)) s.waitedHotends.push(tool);
        return NOTHING;
      }
      case 'M140':
      case 'M190': {
        const t = p.get('S') ?? p.get('R');
        if (t !== undefined) s.bed = t;
        if (p.word === 'M190') s.waitedBed = true;
        return NOTHING;
      }
      case 'M141':
      case 'M191': {
        const t = p.get('S') ?? p.get('R');
        if (t !== undefined) s.chamber = t;
        return NOTHING;
      }
      case 'M106':
        s.fans[p.get('P') ?? 0] = Math.max(0, Math.min(255, p.get('S') ?? 255));
        return NOTHING;
      case 'M107':
        s.fans[p.get('P') ?? 0] = 0;
        return NOTHING;
      default:
        if (p.word.startsWith('T')) s.tool = Number(p.word.slice(1));
        return NOTHING;
    }
  }
}
