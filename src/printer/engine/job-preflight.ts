// Checks a whole job before it starts, chunk by chunk: lines Marlin would truncate (longer than its
// 96-byte buffer once numbered and checksummed), non-ASCII commands, and temperatures above the printer's
// limits. A job with any of these is refused, naming the lines.

import { GcodeLineReader, type RawLine } from './gcode-line-reader.js';
import { MAX_LINE_CHARS, isAscii, stripComment, worstCaseFramedLength } from './line-framing.js';
import { checkTemperature, type TemperatureLimits } from './temperature-limits.js';
import { readSlicerHint } from './slicer-hints.js';

export interface PreflightProblem {
  line: number;
  kind: 'too-long' | 'not-ascii' | 'temperature';
  message: string;
}

export interface PreflightResult {
  ok: boolean;
  problems: PreflightProblem[];
  /** Problems beyond the ones listed. */
  moreProblems: number;
  totalLines: number;
  commandCount: number;
  totalBytes: number;
  layerCount?: number;
  estimateSeconds?: number;
}

/**
 * Line numbers during a job start at 1 after `M110 N0`; pause/resume scripts and terminal commands
 * interleaved during the print take numbers too, so the check leaves this much headroom.
 */
export const LINE_NUMBER_HEADROOM = 100_000;
const LISTED_PROBLEMS = 20;

export class JobPreflight {
  private readonly reader = new GcodeLineReader();
  private readonly problems: PreflightProblem[] = [];
  private more = 0;
  private commands = 0;
  private lines = 0;
  private layerCount: number | undefined;
  private maxLayer = -1;
  private estimate: number | undefined;

  constructor(private readonly limits: TemperatureLimits) {}

  feed(chunk: Uint8Array): void {
    this.reader.feed(chunk, (l) => this.check(l));
  }

  finish(): PreflightResult {
    this.reader.finish((l) => this.check(l));
    const layerCount = this.layerCount ?? (this.maxLayer >= 0 ? this.maxLayer + 1 : undefined);
    const result: PreflightResult = {
      ok: this.problems.length === 0,
      problems: this.problems,
      moreProblems: this.more,
      totalLines: this.lines,
      commandCount: this.commands,
      totalBytes: this.reader.bytesRead,
    };
    if (layerCount !== undefined) result.layerCount = layerCount;
    if (this.estimate !== undefined) result.estimateSeconds = this.estimate;
    return result;
  }

  private add(p: PreflightProblem): void {
    if (this.problems.length < LISTED_PROBLEMS) this.problems.push(p);
    else this.more++;
  }

  private check(raw: RawLine): void {
    this.lines = raw.lineNumber;
    const hint = readSlicerHint(raw.text);
    if (hint) {
      if (hint.layerCount !== undefined) this.layerCount = hint.layerCount;
      if (hint.layer !== undefined && hint.layer > this.maxLayer) this.maxLayer = hint.layer;
      if (hint.estimateSeconds !== undefined && this.estimate === undefined) this.estimate = hint.estimateSeconds;
    }
    const command = stripComment(raw.text);
    if (!command) return;
    this.commands++;
    if (!isAscii(command)) {
      this.add({ line: raw.lineNumber, kind: 'not-ascii', message: `Line ${raw.lineNumber} contains characters the printer cannot receive (only plain ASCII can be sent): ${shorten(command)}` });
      return;
    }
    const length = worstCaseFramedLength(this.commands + LINE_NUMBER_HEADROOM, command);
    if (length > MAX_LINE_CHARS) {
      this.add({
        line: raw.lineNumber,
        kind: 'too-long',
        message: `Line ${raw.lineNumber} is too long for the printer: with its line number and checksum it takes ${length} characters, and Marlin keeps only ${MAX_LINE_CHARS}. ${shorten(command)}`,
      });
      return;
    }
    const v = checkTemperature(command, this.limits);
    if (v) this.add({ line: raw.lineNumber, kind: 'temperature', message: `Line ${raw.lineNumber}: ${v.message}` });
  }
}

export function describePreflight(result: PreflightResult): string {
  const head = result.problems.map((p) => p.message).join('\n');
  return result.moreProblems > 0 ? `${head}\n…and ${result.moreProblems} more problem lines.` : head;
}

function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
