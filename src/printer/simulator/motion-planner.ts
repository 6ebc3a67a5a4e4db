// The motion planner as a host sees it: a ring of moves executed one after another, each taking the time
// its length and feed rate imply (constant speed; acceleration is not modelled).
//
// Underrun, precisely: the planner's last move finished while no move command was waiting in the command
// queue or being processed (the firmware was waiting for the host), and later another move entered the
// planner, with no command in between that deliberately empties the planner (M400, G4, G28, G29, a heating
// wait, M0/M1) and no reset. The first move after idle is not an underrun, nor is the drain at the end
// of a stream. Each underrun records when motion stopped and for how long.

export interface PlannedMove {
  durationMs: number;
  line: number | null;
}

export interface UnderrunEvent {
  /** When the last move finished and motion stopped. */
  at: number;
  /** How long motion stood still before the next move entered. */
  stallMs: number;
}

export class MotionPlanner {
  readonly underruns: UnderrunEvent[] = [];
  movesExecuted = 0;
  /** Time the head spent moving. */
  busyMs = 0;
  private readonly moves: PlannedMove[] = [];
  private headStartedAt = 0;
  private starvedSince: number | null = null;

  /**
   * @param slots BLOCK_BUFFER_SIZE; as in Marlin one slot stays unused, so at most `slots - 1` moves wait.
   * @param isStarved asked when the planner runs dry: true if no move command is waiting in the firmware.
   */
  constructor(
    readonly slots: number,
    private readonly isStarved: () => boolean,
  ) {}

  get planned(): number {
    return this.moves.length;
  }

  /** Marlin's `moves_free()`, the `P` field of ADVANCED_OK. */
  get free(): number {
    return this.slots - 1 - this.moves.length;
  }

  get isEmpty(): boolean {
    return this.moves.length === 0;
  }

  /** When the executing move ends, or null when idle. */
  get nextFinishAt(): number | null {
    const head = this.moves[0];
    return head ? this.headStartedAt + head.durationMs : null;
  }

  advanceTo(now: number): void {
    let head = this.moves[0];
    while (head && this.headStartedAt + head.durationMs <= now) {
      const endedAt = this.headStartedAt + head.durationMs;
      this.moves.shift();
      this.movesExecuted++;
      this.busyMs += head.durationMs;
      this.headStartedAt = endedAt;
      head = this.moves[0];
      if (!head) this.starvedSince = this.isStarved() ? endedAt : null;
    }
  }

  /** Adds a move; the caller has checked `free > 0`. */
  push(move: PlannedMove, now: number): void {
    if (this.moves.length === 0) {
      if (this.starvedSince !== null) {
        this.underruns.push({ at: this.starvedSince, stallMs: now - this.starvedSince });
      }
      this.starvedSince = null;
      this.headStartedAt = now;
    }
    this.moves.push(move);
  }

  /** A command meant to stop motion (M400, G4, G28…): a drain before it is not the host's fault. */
  forgiveStarvation(): void {
    this.starvedSince = null;
  }

  /** Quick stop (M410), kill or reset: every move is dropped. */
  clear(): void {
    this.moves.length = 0;
    this.starvedSince = null;
  }

  /** Total time spent moving up to `now`, counting the executing move's elapsed part. */
  movingMsAt(now: number): number {
    const head = this.moves[0];
    return this.busyMs + (head ? Math.max(0, Math.min(now - this.headStartedAt, head.durationMs)) : 0);
  }
}
