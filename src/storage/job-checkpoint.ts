// What a print keeps about itself so it can be resumed after an interruption: where the printer was in
// the file and the machine state the file had set up by then. Plain data, stored in the job's record.

/** The machine state a G-code file has set up at some point of it, in millimetres. */
export interface PrintStateSnapshot {
  /** Logical position as the file last set it (mm); `e` is the extruder's logical position. */
  x: number;
  y: number;
  z: number;
  e: number;
  /** G91: every axis relative. */
  relativePositioning: boolean;
  /** M83: the extruder relative even under G90. */
  relativeExtrusion: boolean;
  units: 'mm' | 'inch';
  /** Last feed rate set, in mm/min; null before any. */
  feedRateMmMin: number | null;
  /** Part-cooling fans by index (M106 P), speed 0..255. */
  fans: Record<number, number>;
  /** Hotend targets by tool (°C). */
  hotends: Record<number, number>;
  bed: number;
  chamber: number;
  tool: number;
  /** Heaters the file waited for (M109 / M190). */
  waitedHotends: number[];
  waitedBed: boolean;
  /** G92 shift of the logical X/Y/Z from where the machine homed them (mm). */
  offsets: { x: number; y: number; z: number };
  /** Whether the file homed (G28) before this point. */
  homed: boolean;
  /** Highest Z any move reached so far: the top of whatever is on the bed. */
  maxZ: number;
}

/** A line of the file: its 1-based number and the byte offset just after it. */
export interface FilePoint {
  line: number;
  offset: number;
}

export interface JobCheckpoint {
  /** When it was taken (ms since the epoch). */
  at: number;
  gcodeId: string;
  /** The last job line the printer acknowledged (it reached the planner, maybe not the nozzle). */
  acked: FilePoint;
  /**
   * Everything before this point was executed: the printer confirmed with `M400` at a layer change that
   * its moves were done. `layer` is the last layer finished (-1: only the start code). Null before the first.
   */
  finished: (FilePoint & { layer: number }) | null;
  /** Layer of the last acknowledged line (-1: still in the start code). */
  layer: number;
  /** The state the file had set up at the last acknowledged line. */
  state: PrintStateSnapshot;
  /** Lowest and highest Z the nozzle may be at: commanded since the last finished point. */
  zLow: number;
  zHigh: number;
  /** Taken while the print was paused. */
  paused?: boolean;
}

/** A job started to continue an interrupted one. */
export interface ResumedFrom {
  jobId: string;
  layer: number;
  startedAt: number;
}
