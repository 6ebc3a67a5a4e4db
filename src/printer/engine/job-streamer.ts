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
  /** An `M400` the host put before the first command of this layer, to learn when the layer before it was done. */
  fence?: number;
}

/** Where a job starts in its file, and the layer starts to fence with `M400` (see `src/printer/resume/`). */
export interface JobStreamOptions {
  /** Byte offset of the first line to stream (the start of a line). */
  startOffset?: number;
  /** Lines of the file before that offset. */
  linesBefore?: number;
  /** Layer starts, by byte offset of their first line, in file order. */
  fences?: ReadonlyArray<{ layer: number; offset: number; line: number }>;
}

/** Keep at least this many commands queued before asking for more data. */
const LOW_WATER = 256;
/**
 * A stored chunk is 1 MiB (~30,000 lines): splitting it in one go blocks the sender for tens of ms, which
 * starves a printer running short moves. Chunks are kept as bytes and split this much at a time, only as
 * the queue runs low.
 */
const SPLIT_BYTES = 16 * 1024;

export class JobStreamer {
  private readonly reader: GcodeLineReader;
  private readonly fences: ReadonlyArray<{ layer: number; offset: number; line: number }>;
  private nextFence = 0;
  private pendingFence: { layer: number; offset: number; line: number } | null = null;
  private lineStart: number;
  private emitted = false;
  private readonly queue: JobCommand[] = [];
  private head = 0;
  /** Fed bytes not split into commands yet. */
  private unsplit: Uint8Array[] = [];
  private lastFed = false;
  private ended = false;
  private awaitingData = false;
  private currentLayer: number | undefined;
  private layerCounter = -1;
  layerCount: number | undefined;
  estimateSeconds: number | undefined;

  constructor(options: JobStreamOptions = {}) {
    this.lineStart = options.startOffset ?? 0;
    this.reader = new GcodeLineReader(this.lineStart, options.linesBefore ?? 0);
    this.fences = options.fences ?? [];
  }

  /** True when the engine would like the next chunk (and none has been asked for yet). */
  wantsData(): boolean {
    this.split();
    return !this.lastFed && !this.awaitingData && this.unsplit.length === 0 && this.queue.length - this.head < LOW_WATER;
  }

  /** The shell is reading a chunk; don't ask twice. */
  markRequested(): void {
    this.awaitingData = true;
  }

  feed(chunk: Uint8Array, last: boolean): void {
    this.awaitingData = false;
    if (this.lastFed) return;
    if (chunk.length > 0) this.unsplit.push(chunk);
    this.lastFed = last;
    this.split();
  }

  /** Commands split from the fed bytes and not taken yet. */
  get buffered(): number {
    return this.queue.length - this.head;
  }

  /** Next command, or null when none is buffered (check `exhausted` to tell the end from a wait). */
  next(): JobCommand | null {
    this.split();
    if (this.head >= this.queue.length) return null;
    return this.queue[this.head++]!;
  }

  peek(): JobCommand | null {
    this.split();
    return this.head < this.queue.length ? this.queue[this.head]! : null;
  }

  get exhausted(): boolean {
    this.split();
    return this.ended && this.head >= this.queue.length;
  }

  get starved(): boolean {
    this.split();
    return !this.ended && this.head >= this.queue.length;
  }

  /** Splits fed bytes into commands, a slice at a time, until twice the low water is queued. */
  private split(): void {
    if (this.ended || this.queue.length - this.head >= 2 * LOW_WATER) return;
    if (this.head > 4096) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    while (this.unsplit.length > 0 && this.queue.length - this.head < 2 * LOW_WATER) {
      const bytes = this.unsplit[0]!;
      if (bytes.length > SPLIT_BYTES) {
        this.unsplit[0] = bytes.subarray(SPLIT_BYTES);
        this.reader.feed(bytes.subarray(0, SPLIT_BYTES), (l) => this.take(l));
      } else {
        this.unsplit.shift();
        this.reader.feed(bytes, (l) => this.take(l));
      }
    }
    if (this.unsplit.length === 0 && this.lastFed) {
      this.reader.finish((l) => this.take(l));
      this.ended = true;
    }
  }

  private take(raw: RawLine): void {
    const start = this.lineStart;
    this.lineStart = raw.endOffset;
    while (this.nextFence < this.fences.length && this.fences[this.nextFence]!.offset <= start) {
      // With fences the layers are the index's, so progress and checkpoints count them alike.
      this.pendingFence = this.fences[this.nextFence++]!;
      this.layerCounter = this.pendingFence.layer;
      this.currentLayer = this.layerCounter;
    }
    const hint = readSlicerHint(raw.text);
    if (hint) {
      if (hint.layerCount !== undefined) this.layerCount = hint.layerCount;
      if (hint.estimateSeconds !== undefined && this.estimateSeconds === undefined) this.estimateSeconds = hint.estimateSeconds;
      if (hint.layer !== undefined && this.fences.length === 0) {
        this.layerCounter = hint.layer >= 0 ? hint.layer : this.layerCounter + 1;
        this.currentLayer = this.layerCounter;
      }
    }
    const command = stripComment(raw.text);
    if (!command) return;
    const fence = this.pendingFence;
    if (fence) {
      this.pendingFence = null;
      // Nothing to confirm at the very start of a stream (a resumed job starts at a layer).
      if (this.emitted) this.queue.push({ command: 'M400', fileLine: fence.line - 1, endOffset: fence.offset, fence: fence.layer });
    }
    this.emitted = true;
    const c: JobCommand = { command, fileLine: raw.lineNumber, endOffset: raw.endOffset };
    if (this.currentLayer !== undefined) {
      c.layer = this.currentLayer;
      this.currentLayer = undefined;
    }
    this.queue.push(c);
  }
}
