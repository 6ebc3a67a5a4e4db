// Follows a running job line by line as the printer acknowledges it and keeps the checkpoint a resume
// starts from. The sender puts an `M400` before the first command of every layer (a "layer fence"): its
// `ok` comes only once every earlier move was done, which makes the previous layer finished for sure.
// An acknowledged move alone only proves the move reached the planner, up to a few dozen moves ahead
// of the nozzle.
//
// Where the nozzle may be when the printer stops: anywhere from the end of the last move surely done to
// the last move acknowledged. A move is surely done once more moves than the planner holds were
// acknowledged after it, or once a fence was.

import type { JobCheckpoint, PrintStateSnapshot } from '../../storage/job-checkpoint.js';
import { layerAtOffset, type LayerIndex } from './layer-index.js';
import { PrintState } from './print-state.js';

/** An acknowledged job line, as the sender describes it. */
export interface AckedJobLine {
  command: string;
  fileLine: number;
  endOffset: number;
  /** Set on a layer fence: the layer that starts after it. */
  fence?: number;
}

/** A layer start the sender fences with `M400`. */
export interface LayerFence {
  layer: number;
  /** Byte offset where the layer's first line starts. */
  offset: number;
  line: number;
}

/**
 * More moves than any stock Marlin planner holds (BLOCK_BUFFER_SIZE is 16 on 8-bit boards, 32 or 64 on
 * 32-bit ones): once this many moves were acknowledged after a move, that move was done.
 */
export const PLANNER_BOUND = 128;

export function layerFences(index: LayerIndex): LayerFence[] {
  return index.layers.map((l) => ({ layer: l.layer, offset: l.offset, line: l.line }));
}

export class CheckpointRecorder {
  private readonly state: PrintState;
  private acked: { line: number; offset: number };
  private finished: JobCheckpoint['finished'];
  /** Z after each of the last PLANNER_BOUND + 1 acknowledged moves, oldest first (a ring). */
  private readonly recentZ = new Float64Array(PLANNER_BOUND + 1);
  private recentCount = 0;
  private recentNext = 0;
  /** Z where the last fence left the nozzle: still possible until PLANNER_BOUND + 1 moves followed. */
  private fenceZ: number;
  private changed = false;

  /**
   * `start` is where the job begins in the file (a resumed job starts at a layer) and the state the
   * printer is in there.
   */
  constructor(
    private readonly gcodeId: string,
    private readonly index: LayerIndex,
    start: { offset: number; line: number; state: PrintStateSnapshot; finishedLayer?: number } = { offset: 0, line: 0, state: new PrintState().snapshot() },
  ) {
    this.state = new PrintState(start.state);
    this.acked = { line: start.line, offset: start.offset };
    this.finished = start.finishedLayer !== undefined ? { line: start.line, offset: start.offset, layer: start.finishedLayer } : null;
    this.fenceZ = start.state.z;
  }

  /** Folds in one acknowledged line; true when a layer was confirmed finished (time to write). */
  onAcked(line: AckedJobLine): boolean {
    this.changed = true;
    if (line.fence !== undefined) {
      // Everything before the layer's first line is done; the nozzle is where that left it.
      this.finished = { line: line.fileLine, offset: line.endOffset, layer: line.fence - 1 };
      this.fenceZ = this.state.s.z;
      this.recentCount = 0;
      this.recentNext = 0;
      return true;
    }
    const applied = this.state.apply(line.command);
    if (applied.displaced) {
      this.recentZ[this.recentNext] = this.state.s.z;
      this.recentNext = (this.recentNext + 1) % this.recentZ.length;
      if (this.recentCount < this.recentZ.length) this.recentCount++;
    }
    this.acked = { line: line.fileLine, offset: line.endOffset };
    return false;
  }

  /** Whether anything was acknowledged since the last `checkpoint()`. */
  get dirty(): boolean {
    return this.changed;
  }

  checkpoint(now: number, paused = false): JobCheckpoint {
    this.changed = false;
    const c: JobCheckpoint = {
      at: now,
      gcodeId: this.gcodeId,
      acked: { ...this.acked },
      finished: this.finished ? { ...this.finished } : null,
      layer: layerAtOffset(this.index, Math.max(0, this.acked.offset - 1)),
      state: this.state.snapshot(),
      ...this.zRange(),
    };
    if (paused) c.paused = true;
    return c;
  }

  /** Lowest and highest Z among the positions the nozzle may be at now. */
  private zRange(): { zLow: number; zHigh: number } {
    // Fewer moves since the fence than the planner holds: the fence's position is still possible.
    let low = this.recentCount < this.recentZ.length ? this.fenceZ : Infinity;
    let high = low === Infinity ? -Infinity : low;
    for (let i = 0; i < this.recentCount; i++) {
      const z = this.recentZ[i]!;
      if (z < low) low = z;
      if (z > high) high = z;
    }
    return { zLow: low, zHigh: high };
  }
}

/**
 * The layer a resume should start from: the first one not confirmed finished. Null when there is
 * nothing left to print or nothing was printed.
 */
export function suggestedResumeLayer(checkpoint: JobCheckpoint, layerCount: number): number | null {
  const next = checkpoint.finished ? checkpoint.finished.layer + 1 : checkpoint.layer >= 0 ? 0 : null;
  if (next === null || next >= layerCount) return null;
  return Math.max(0, next);
}
