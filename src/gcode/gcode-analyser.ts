// Streaming G-code analysis. Fed raw bytes chunk by chunk (never one big string), it walks each line as
// ASCII bytes, keeps the machine state (positions, modes, units, tool) and writes every move as a line
// segment into typed arrays. Statistics (filament, time, bounds, layers) are counted over every move,
// whether or not the segment is kept for drawing.
import { planArc, centreFromRadius, type ArcPlan } from './arc.js';
import { Feature, featureFromName } from './feature-types.js';
import { LayerTracker } from './layer-tracker.js';
import { MotionTimer } from './motion-time.js';
import { SegmentStore } from './segment-store.js';
import { asciiText, classifyComment, CommentKind, parseDuration, type CommentMatch } from './slicer-comments.js';
import {
  BYTES_PER_SEGMENT, SEGMENT_EXTRUDES, type Bounds, type GcodeAnalysis, type GcodeSummary,
} from './toolpath.js';

export interface AnalyserOptions {
  /** Size of the whole file in bytes, when known. The stored toolpath is kept within it. */
  sizeHint?: number;
  /** Upper bound on stored segments whatever the size (default 8 million). */
  maxSegments?: number;
  /** Largest distance (mm) between an arc and its chords (default 0.02). */
  chordTolerance?: number;
  /** Acceleration (mm/s²) for the time estimate until the file sets one with M204 (default 500). */
  acceleration?: number;
  /** Smallest Z step (mm) that starts a new layer when the file has no layer comments (default 0.05). */
  minLayerStep?: number;
}

const DEFAULT_MAX_SEGMENTS = 8_000_000;
/** Feed rate (mm/min) assumed until the file sets one. */
const DEFAULT_FEED = 1500;
const INCH = 25.4;

// Word letters as indices into the parameter slots.
const A = 65;
const X = 'X'.charCodeAt(0) - A;
const Y = 'Y'.charCodeAt(0) - A;
const Z = 'Z'.charCodeAt(0) - A;
const E = 'E'.charCodeAt(0) - A;
const F = 'F'.charCodeAt(0) - A;
const I = 'I'.charCodeAt(0) - A;
const J = 'J'.charCodeAt(0) - A;
const R = 'R'.charCodeAt(0) - A;
const P = 'P'.charCodeAt(0) - A;
const S = 'S'.charCodeAt(0) - A;
const L = 'L'.charCodeAt(0) - A;
const BIT_X = 1 << X;
const BIT_Y = 1 << Y;
const BIT_Z = 1 << Z;
const BIT_E = 1 << E;
const BIT_F = 1 << F;
const BIT_I = 1 << I;
const BIT_J = 1 << J;
const BIT_R = 1 << R;
const BIT_P = 1 << P;
const BIT_S = 1 << S;
const BIT_L = 1 << L;
const BIT_XYZ = BIT_X | BIT_Y | BIT_Z;

/**
 * Largest coordinate, length of filament, feed rate or dwell taken as meant (1000 km, 30 years): beyond
 * it a number is a corrupt file, and would overflow the stored single-precision toolpath or the totals.
 */
const LARGEST_READABLE = 1e9;

function readable(value: number): boolean {
  return Math.abs(value) <= LARGEST_READABLE;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

const enum Motion { None = -1, Rapid = 0, Linear = 1, ArcCw = 2, ArcCcw = 3 }

export class GcodeAnalyser {
  private readonly store: SegmentStore;
  private readonly layers: LayerTracker;
  private readonly timer: MotionTimer;
  private readonly chordTolerance: number;

  // Machine state. Positions are where the nozzle really is (G92 offsets applied), in millimetres.
  private x = 0;
  private y = 0;
  private z = 0;
  /** Logical E as the file counts it, for absolute extrusion. */
  private e = 0;
  private offX = 0;
  private offY = 0;
  private offZ = 0;
  private feed = DEFAULT_FEED;
  private relativeXYZ = false;
  private relativeE = false;
  private unit = 1;
  private tool = 0;
  private feature: number = Feature.Other;
  private motion: Motion = Motion.None;
  private arcPlaneXY = true;

  // Words of the current line.
  private readonly values = new Float64Array(26);
  private seen = 0;

  // Statistics over every move.
  private lineNo = 0;
  private byteCount = 0;
  private totalSegments = 0;
  private extrudingSegments = 0;
  private readonly filament: number[] = [0];
  private readonly toolsUsed = new Set<number>();
  private readonly bmin = [Infinity, Infinity, Infinity];
  private readonly bmax = [-Infinity, -Infinity, -Infinity];
  private readonly tmin = [Infinity, Infinity, Infinity];
  private readonly tmax = [-Infinity, -Infinity, -Infinity];
  private slicerTime = Number.NaN;
  private slicerTimeElapsed = Number.NaN;
  private generator: string | null = null;
  private readonly unknownCommands = new Map<string, number>();
  private otherPlaneArcs = 0;
  private unreadableMoves = 0;
  private firmwareRetracted = false;

  // Lines split across chunks are gathered here.
  private carry = new Uint8Array(256);
  private carryLength = 0;

  private readonly comment: CommentMatch = { kind: CommentKind.None, valueStart: 0 };
  private readonly arc: ArcPlan = { cx: 0, cy: 0, radius: 0, startAngle: 0, sweep: 0, chords: 0 };
  private readonly centre: [number, number] = [0, 0];
  private finished = false;

  constructor(options: AnalyserOptions = {}) {
    const cap = options.maxSegments ?? DEFAULT_MAX_SEGMENTS;
    const budget = options.sizeHint !== undefined ? Math.floor(options.sizeHint / BYTES_PER_SEGMENT) - 1 : cap;
    const maxSegments = Math.max(1024, Math.min(cap, budget));
    this.store = new SegmentStore(maxSegments, options.sizeHint !== undefined ? maxSegments : undefined);
    this.layers = new LayerTracker(this.store, options.minLayerStep ?? 0.05);
    this.timer = new MotionTimer(options.acceleration ?? 500);
    this.chordTolerance = options.chordTolerance ?? 0.02;
  }

  get bytesRead(): number {
    return this.byteCount;
  }

  get linesRead(): number {
    return this.lineNo;
  }

  /** Feeds the next chunk of the file. The chunk is not kept. */
  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('G-code analysis already finished');
    this.byteCount += chunk.length;
    const n = chunk.length;
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl < 0) {
      this.appendCarry(chunk, 0, n);
      return;
    }
    if (this.carryLength > 0) {
      this.appendCarry(chunk, 0, nl);
      this.parseLine(this.carry, 0, this.carryLength);
      this.carryLength = 0;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    while (nl >= 0) {
      this.parseLine(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < n) this.appendCarry(chunk, start, n);
  }

  /** Ends the analysis and hands over the typed arrays and the summary. */
  finish(): GcodeAnalysis {
    if (this.finished) throw new Error('G-code analysis already finished');
    if (this.carryLength > 0) {
      this.parseLine(this.carry, 0, this.carryLength);
      this.carryLength = 0;
    }
    this.finished = true;
    this.timer.stop();
    this.store.trim();
    const layers = this.layers.finish(this.store);
    const store = this.store;

    const warnings: string[] = [];
    const isFdm = this.extrudingSegments > 0;
    if (!isFdm) {
      warnings.push(
        this.totalSegments > 0
          ? 'Nothing in this file extrudes filament: it looks like G-code for a CNC mill or a laser, not a 3D printer.'
          : 'This file has no moves to show.',
      );
    }
    if (this.otherPlaneArcs > 0) {
      warnings.push(`${this.otherPlaneArcs} arcs are in the XZ or YZ plane (G18/G19); they are drawn as straight lines.`);
    }
    if (this.unreadableMoves > 0) warnings.push(`${this.unreadableMoves} moves had numbers too large to be real and were skipped.`);
    if (this.layers.clamped) warnings.push('The file has more than 65 535 layers; the last ones are shown as one.');
    if (this.unknownCommands.size > 0) {
      const names = [...this.unknownCommands.keys()].slice(0, 8).join(', ');
      warnings.push(`Some commands are not used by the preview and were skipped: ${names}${this.unknownCommands.size > 8 ? ', …' : ''}.`);
    }

    let reducedReason: string | null = null;
    if (store.reduced) {
      const parts: string[] = [];
      if (store.joinFactor > 1) parts.push(`up to ${store.joinFactor} consecutive moves of the same kind are drawn as one straight line`);
      if (store.stopped) parts.push(`moves after line ${store.stoppedAtLine} are not drawn`);
      reducedReason = `This file is too big to draw every move, so the view is simplified: ${parts.join('; ')}. The statistics still count every move.`;
    }

    const slicerSeconds = Number.isFinite(this.slicerTimeElapsed) ? this.slicerTimeElapsed
      : Number.isFinite(this.slicerTime) ? this.slicerTime : null;
    const filamentMmPerTool = this.filament.map((mm) => Math.max(0, mm));
    const summary: GcodeSummary = {
      lineCount: this.lineNo,
      byteCount: this.byteCount,
      totalSegments: this.totalSegments,
      storedSegments: store.count,
      extrudingSegments: this.extrudingSegments,
      layerCount: layers.length,
      layerSource: this.layers.markerMode ? 'markers' : 'z',
      bounds: toBounds(this.bmin, this.bmax),
      travelBounds: toBounds(this.tmin, this.tmax),
      filamentMmPerTool,
      filamentMm: filamentMmPerTool.reduce((sum, mm) => sum + mm, 0),
      estimatedSeconds: slicerSeconds ?? this.timer.seconds,
      timeSource: slicerSeconds !== null ? 'slicer' : 'computed',
      computedSeconds: this.timer.seconds,
      slicerSeconds,
      isFdm,
      toolsUsed: [...this.toolsUsed].sort((a, b) => a - b),
      reduced: store.reduced,
      reducedReason,
      toolpathBytes: store.bytes,
      warnings,
      generator: this.generator,
    };
    return { toolpath: store.toToolpath(), layers, summary };
  }

  private appendCarry(chunk: Uint8Array, start: number, end: number): void {
    const need = this.carryLength + (end - start);
    if (need > this.carry.length) {
      const bigger = new Uint8Array(Math.max(need, this.carry.length * 2));
      bigger.set(this.carry.subarray(0, this.carryLength));
      this.carry = bigger;
    }
    this.carry.set(chunk.subarray(start, end), this.carryLength);
    this.carryLength = need;
  }

  /** Reads one line's words into `values`/`seen` and runs its command(s). */
  private parseLine(buf: Uint8Array, start: number, end: number): void {
    this.lineNo++;
    const values = this.values;
    let seen = 0;
    let command = 0; // 'G' | 'M' | 'T' letter code, 0 when none
    let code = -1;
    let i = start;
    while (i < end) {
      const c = buf[i];
      if (c === 59 /* ; */) {
        this.onComment(buf, i + 1, end);
        break;
      }
      if (c === 40 /* ( */) {
        while (i < end && buf[i] !== 41) i++;
        i++;
        continue;
      }
      if (c === 42 /* * checksum */) break;
      const letter = c & 0xdf;
      if (letter < 65 || letter > 90) {
        i++;
        continue;
      }
      // Parse the number after the letter, by hand and without making a string.
      i++;
      while (i < end && buf[i] === 32) i++;
      let negative = false;
      if (i < end && (buf[i] === 45 || buf[i] === 43)) {
        negative = buf[i] === 45;
        i++;
      }
      let whole = 0;
      let digits = 0;
      let d = buf[i] - 48;
      while (i < end && d >= 0 && d <= 9) {
        whole = whole * 10 + d;
        digits++;
        d = buf[++i] - 48;
      }
      if (i < end && buf[i] === 46 /* . */) {
        d = buf[++i] - 48;
        let fraction = 0;
        let places = 0;
        while (i < end && d >= 0 && d <= 9) {
          if (places < 16) {
            fraction = fraction * 10 + d;
            places++;
          }
          digits++;
          d = buf[++i] - 48;
        }
        whole += fraction / POW10[places];
      }
      if (digits === 0) {
        // A bare axis letter (G28 X) names the axis; any other letter without a number is not a word.
        if (command !== 0 && letter !== 71 && letter !== 77 && letter !== 84 && letter !== 78) {
          values[letter - 65] = 0;
          seen |= 1 << (letter - 65);
        }
        continue;
      }
      const value = negative ? -whole : whole;
      if (letter === 71 /* G */) {
        if (command === 71 && code >= 0) {
          // Several G words on one line (G53 G90 G40): modal ones take effect now, the last is the command.
          this.applyModalG(code);
        }
        if (command !== 77 && command !== 84) {
          command = 71;
          code = value;
        }
      } else if (letter === 77 /* M */ && command === 0) {
        command = 77;
        code = value;
      } else if (letter === 84 /* T */ && command === 0) {
        command = 84;
        code = value;
      } else if (letter !== 78 /* N */) {
        const slot = letter - 65;
        values[slot] = value;
        seen |= 1 << slot;
      }
    }
    this.seen = seen;
    if (command === 71) this.runG(code);
    else if (command === 77) this.runM(code);
    else if (command === 84) this.changeTool(code);
    else if ((seen & BIT_XYZ) !== 0 && this.motion !== Motion.None) this.runMotion(this.motion); // modal motion
    else if ((seen & BIT_F) !== 0 && values[F] > 0 && readable(values[F] * this.unit)) this.feed = values[F] * this.unit;
  }

  /** Applies a G code that only changes a mode; returns false when it is not one. */
  private applyModalG(code: number): boolean {
    switch (code) {
      case 90: this.relativeXYZ = false; this.relativeE = false; return true; // Marlin: G90 also sets E absolute
      case 91: this.relativeXYZ = true; this.relativeE = true; return true;
      case 20: this.unit = INCH; return true;
      case 21: this.unit = 1; return true;
      case 17: this.arcPlaneXY = true; return true;
      case 18: case 19: this.arcPlaneXY = false; return true;
      case 40: case 49: case 53: case 54: case 55: case 56: case 57: case 58: case 59: case 61: case 64: case 80: case 94:
        return true; // CNC modes with no effect on the toolpath
      default: return false;
    }
  }

  private runG(code: number): void {
    switch (code) {
      case 0: this.motion = Motion.Rapid; this.runMotion(Motion.Rapid); return;
      case 1: this.motion = Motion.Linear; this.runMotion(Motion.Linear); return;
      case 2: this.motion = Motion.ArcCw; this.runMotion(Motion.ArcCw); return;
      case 3: this.motion = Motion.ArcCcw; this.runMotion(Motion.ArcCcw); return;
      case 4: this.dwell(); return;
      case 10: this.firmwareRetract(true); return;
      case 11: this.firmwareRetract(false); return;
      case 28: this.home(); return;
      case 92: this.setPosition(); return;
      default:
        if (!this.applyModalG(code)) this.noteUnknown('G', code);
    }
  }

  private runM(code: number): void {
    const v = this.values;
    switch (code) {
      case 82: this.relativeE = false; return;
      case 83: this.relativeE = true; return;
      case 204: {
        // M204 P (printing) / S (all moves) in mm/s²
        const a = (this.seen & BIT_P) !== 0 ? v[P] : (this.seen & BIT_S) !== 0 ? v[S] : Number.NaN;
        if (a > 0 && readable(a)) this.timer.acceleration = a;
        return;
      }
      default:
        return; // temperatures, fans and the rest do not move anything
    }
  }

  private changeTool(code: number): void {
    const tool = Math.max(0, Math.min(255, Math.trunc(code)));
    this.tool = tool;
    while (this.filament.length <= tool) this.filament.push(0);
  }

  private noteUnknown(letter: string, code: number): void {
    const name = `${letter}${code}`;
    this.unknownCommands.set(name, (this.unknownCommands.get(name) ?? 0) + 1);
  }

  private dwell(): void {
    // G4 P is milliseconds, G4 S is seconds.
    const seconds = (this.seen & BIT_S) !== 0 ? this.values[S] : (this.seen & BIT_P) !== 0 ? this.values[P] / 1000 : 0;
    if (readable(seconds)) this.timer.dwell(seconds);
  }

  private firmwareRetract(retract: boolean): void {
    // G10 with P or L sets tool offsets or temperatures (RepRapFirmware, LinuxCNC), not a retraction.
    if ((this.seen & (BIT_P | BIT_L)) !== 0) return;
    this.firmwareRetracted = retract;
  }

  private home(): void {
    this.timer.stop();
    const s = this.seen & BIT_XYZ;
    // Home is taken as the origin; G92 offsets are cleared on the homed axes, as firmware does.
    if (s === 0 || (s & BIT_X) !== 0) { this.x = 0; this.offX = 0; }
    if (s === 0 || (s & BIT_Y) !== 0) { this.y = 0; this.offY = 0; }
    if (s === 0 || (s & BIT_Z) !== 0) { this.z = 0; this.offZ = 0; }
  }

  private setPosition(): void {
    const s = this.seen;
    const v = this.values;
    const u = this.unit;
    // The nozzle stays put; only the numbers the file uses from here on change.
    if ((s & BIT_X) !== 0) this.offX = this.x - v[X] * u;
    if ((s & BIT_Y) !== 0) this.offY = this.y - v[Y] * u;
    if ((s & BIT_Z) !== 0) this.offZ = this.z - v[Z] * u;
    if ((s & BIT_E) !== 0) this.e = v[E] * u;
  }

  private runMotion(motion: Motion): void {
    const s = this.seen;
    const v = this.values;
    const u = this.unit;
    if ((s & BIT_F) !== 0 && v[F] > 0 && readable(v[F] * u)) this.feed = v[F] * u;
    let tx = this.x;
    let ty = this.y;
    let tz = this.z;
    if (this.relativeXYZ) {
      if ((s & BIT_X) !== 0) tx += v[X] * u;
      if ((s & BIT_Y) !== 0) ty += v[Y] * u;
      if ((s & BIT_Z) !== 0) tz += v[Z] * u;
    } else {
      if ((s & BIT_X) !== 0) tx = v[X] * u + this.offX;
      if ((s & BIT_Y) !== 0) ty = v[Y] * u + this.offY;
      if ((s & BIT_Z) !== 0) tz = v[Z] * u + this.offZ;
    }
    const arcWords = motion === Motion.ArcCw || motion === Motion.ArcCcw ? s & (BIT_I | BIT_J | BIT_R | BIT_P) : 0;
    if (
      !readable(tx) || !readable(ty) || !readable(tz) || ((s & BIT_E) !== 0 && !readable(v[E] * u)) ||
      ((arcWords & BIT_I) !== 0 && !readable(v[I] * u)) || ((arcWords & BIT_J) !== 0 && !readable(v[J] * u)) ||
      ((arcWords & BIT_R) !== 0 && !readable(v[R] * u)) || ((arcWords & BIT_P) !== 0 && !readable(v[P]))
    ) {
      this.unreadableMoves++; // a number too long to be real: skip the move, keep the position
      return;
    }
    let de = 0;
    if ((s & BIT_E) !== 0) {
      const ev = v[E] * u;
      if (this.relativeE) {
        de = ev;
        this.e += ev;
      } else {
        de = ev - this.e;
        this.e = ev;
      }
      this.filament[this.tool] += de;
    }
    const speed = this.feed / 60;
    const arc = motion === Motion.ArcCw || motion === Motion.ArcCcw;
    if (arc && this.arcPlaneXY && this.drawArc(motion === Motion.ArcCw, tx, ty, tz, de, speed)) return;
    if (arc && !this.arcPlaneXY) this.otherPlaneArcs++;
    const dx = tx - this.x;
    const dy = ty - this.y;
    const dz = tz - this.z;
    const length = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (length > 0) {
      this.timer.move(length, dx, dy, dz, speed);
      this.segment(tx, ty, tz, de);
    } else if (de !== 0) {
      this.timer.extruderOnly(Math.abs(de), speed);
    }
  }

  /** Draws a G2/G3 as chords; false when the arc is degenerate and should be a straight move. */
  private drawArc(clockwise: boolean, tx: number, ty: number, tz: number, de: number, speed: number): boolean {
    const s = this.seen;
    const v = this.values;
    const u = this.unit;
    let cx: number;
    let cy: number;
    if ((s & (BIT_I | BIT_J)) !== 0) {
      cx = this.x + ((s & BIT_I) !== 0 ? v[I] * u : 0);
      cy = this.y + ((s & BIT_J) !== 0 ? v[J] * u : 0);
    } else if ((s & BIT_R) !== 0) {
      if (!centreFromRadius(this.centre, this.x, this.y, tx, ty, v[R] * u, clockwise)) return false;
      cx = this.centre[0];
      cy = this.centre[1];
    } else {
      return false;
    }
    const turns = (s & BIT_P) !== 0 ? v[P] : 0;
    const arc = this.arc;
    if (!planArc(arc, this.x, this.y, tx, ty, cx, cy, clockwise, turns, this.chordTolerance)) return false;
    const n = arc.chords;
    const z0 = this.z;
    const step = arc.sweep / n;
    for (let k = 1; k <= n; k++) {
      let nx: number;
      let ny: number;
      if (k === n) {
        nx = tx;
        ny = ty;
      } else {
        const angle = arc.startAngle + step * k;
        nx = arc.cx + arc.radius * Math.cos(angle);
        ny = arc.cy + arc.radius * Math.sin(angle);
      }
      const nz = z0 + ((tz - z0) * k) / n;
      const dx = nx - this.x;
      const dy = ny - this.y;
      const dz = nz - this.z;
      const length = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (length > 0) {
        this.timer.move(length, dx, dy, dz, speed);
        this.segment(nx, ny, nz, de / n);
      }
    }
    this.x = tx;
    this.y = ty;
    this.z = tz;
    return true;
  }

  /** Records the move from the current position to (tx, ty, tz) and makes it current. */
  private segment(tx: number, ty: number, tz: number, de: number): void {
    const extrudes = de > 0 && !this.firmwareRetracted;
    this.totalSegments++;
    const layer = this.layers.onSegment(tz, extrudes, this.lineNo);
    if (extrudes) {
      this.extrudingSegments++;
      this.toolsUsed.add(this.tool);
      grow(this.bmin, this.bmax, this.x, this.y, this.z);
      grow(this.bmin, this.bmax, tx, ty, tz);
    }
    grow(this.tmin, this.tmax, tx, ty, tz);
    this.store.add(
      this.x, this.y, this.z, tx, ty, tz, this.lineNo, layer, this.feature, extrudes ? SEGMENT_EXTRUDES : 0, this.tool,
    );
    this.x = tx;
    this.y = ty;
    this.z = tz;
  }

  private onComment(buf: Uint8Array, start: number, end: number): void {
    const match = this.comment;
    classifyComment(buf, start, end, match);
    switch (match.kind) {
      case CommentKind.None:
        return;
      case CommentKind.Type:
        this.feature = featureFromName(asciiText(buf, match.valueStart, end));
        return;
      case CommentKind.LayerMarker:
        this.layers.onMarker(this.z, this.lineNo);
        return;
      case CommentKind.CuraTime: {
        const t = Number(asciiText(buf, match.valueStart, end));
        if (Number.isFinite(t) && t > 0) this.slicerTime = t;
        return;
      }
      case CommentKind.CuraTimeElapsed: {
        const t = Number(asciiText(buf, match.valueStart, end));
        if (Number.isFinite(t) && t > 0) this.slicerTimeElapsed = t;
        return;
      }
      case CommentKind.PrusaTime: {
        const t = parseDuration(asciiText(buf, match.valueStart, end));
        if (Number.isFinite(t) && t > 0) this.slicerTime = t;
        return;
      }
      case CommentKind.Generator:
        if (this.generator === null) this.generator = asciiText(buf, match.valueStart, Math.min(end, match.valueStart + 80));
        return;
    }
  }
}

function grow(min: number[], max: number[], x: number, y: number, z: number): void {
  if (x < min[0]) min[0] = x;
  if (x > max[0]) max[0] = x;
  if (y < min[1]) min[1] = y;
  if (y > max[1]) max[1] = y;
  if (z < min[2]) min[2] = z;
  if (z > max[2]) max[2] = z;
}

function toBounds(min: number[], max: number[]): Bounds | null {
  if (!(min[0] <= max[0])) return null;
  return { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] };
}

/** Analyses a whole file held as chunks; handy for tests and for small files. */
export function analyseChunks(chunks: Iterable<Uint8Array>, options: AnalyserOptions = {}): GcodeAnalysis {
  const analyser = new GcodeAnalyser(options);
  for (const chunk of chunks) analyser.push(chunk);
  return analyser.finish();
}
