// A job's commands, read incrementally: the shell feeds chunks of the stored file when the streamer asks
// for more, and the engine takes commands one at a time as flow control allows.

import { GcodeLineReader, type RawLine } from './gcode-line-reader.js';
import { stripComment } from './line-framing.js';
import { readSlicerHint } from './slicer-hints.js';

export interface JobCommand {
  command: string;
  /** 1-based line number in the file. */
  fileLine: number;
  /** Byte offset in the file just after this command's line. */
  endOffset: number;
  /** Layer the file says this command belongs to, when it says so. */
  layer?: number;
}

/** Keep at least this many commands queued before asking for more data. */
const LOW_WATER = 256;

export class JobStreamer {
  private readonly reader = new GcodeLineReader();
  private readonly queue: JobCommand[] = [];
  private head = 0;
  private ended = false;
  private awaitingData = false;
  private currentLayer: number | undefined;
  private layerCounter = -1;
  layerCount: number | undefined;
  estimateSeconds: number | undefined;

  /** True when the engine would like the next chunk (and none has been asked for yet). */
  wantsData(): boolean {
    return !this.ended && !this.awaitingData && this.queue.length - this.head < LOW_WATER;
  }

  /** The shell is reading a chunk; don't ask twice. */
  markRequested(): void {
    this.awaitingData = true;
  }

  feed(chunk: Uint8Array, last: boolean): void {
    this.awaitingData = false;
    if (this.ended) return;
    if (this.head > 4096) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.reader.feed(chunk, (l) => this.take(l));
    if (last) {
      this.reader.finish((l) => this.take(l));
      this.ended = true;
    }
  }

  /** Next command, or null when none is buffered (check `exhausted` to tell the end from a wait). */
  next(): JobCommand | null {
    if (this.head >= this.queue.length) return null;
    return this.queue[this.head++]!;
  }

  peek(): JobCommand | null {
    return this.head < this.queue.length ? this.queue[this.head]! : null;
  }

  get exhausted(): boolean {
    return this.ended && this.head >= this.queue.length;
  }

  get starved(): boolean {
    return !this.ended && this.head >= this.queue.length;
  }

  private take(raw: RawLine): void {
    const hint = readSlicerHint(raw.text);
    if (hint) {
      if (hint.layerCount !== undefined) this.layerCount = hint.layerCount;
      if (hint.estimateSeconds !== undefined && this.estimateSeconds === undefined) this.estimateSeconds = hint.estimateSeconds;
      if (hint.layer !== undefined) {
        this.layerCounter = hint.layer >= 0 ? hint.layer : this.layerCounter + 1;
        this.currentLayer = this.layerCounter;
      }
    }
    const command = stripComment(raw.text);
    if (!command) return;
    const c: JobCommand = { command, fileLine: raw.lineNumber, endOffset: raw.endOffset };
    if (this.currentLayer !== undefined) {
      c.layer = this.currentLayer;
      this.currentLayer = undefined;
    }
    this.queue.push(c);
  }
}
