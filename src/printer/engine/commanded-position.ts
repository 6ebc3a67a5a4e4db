// Where the job's own moves put the head, axis by axis, for as long as that is certain: after M400 the
// printer is exactly there, so a position report that says otherwise was garbled on the way (replies
// carry no checksum; `Z:10.30` can arrive as `Z:00.30`), and a resume must not lower the nozzle to it.
// Homing, probing and anything else the firmware decides by itself make an axis unknown until the file
// next moves it to an absolute place.

import type { Position } from '../link-api.js';
import { commandWord, numericParam } from './line-framing.js';

type Axis = 'x' | 'y' | 'z';
const AXES: Axis[] = ['x', 'y', 'z'];

/** Moves whose end point the firmware chooses. */
const POSITION_UNKNOWN_AFTER = new Set(['G28', 'G29', 'G30', 'G32', 'G34', 'G35', 'G60', 'G61', 'M48', 'M600', 'M125', 'G20']);

/** Largest difference a report may show from the commanded position (reports round to 0.01 mm). */
export const POSITION_TOLERANCE_MM = 0.05;

export class CommandedPosition {
  private readonly at: Record<Axis, number | null> = { x: null, y: null, z: null };
  private relative = false;

  /** Follows one command the job sent, in order. */
  apply(command: string): void {
    const word = commandWord(command);
    if (word === 'G90') this.relative = false;
    else if (word === 'G91') this.relative = true;
    else if (word === 'G0' || word === 'G1' || word === 'G2' || word === 'G3') {
      for (const axis of AXES) {
        const v = numericParam(command, axis.toUpperCase());
        if (v === undefined) continue;
        const current = this.at[axis];
        this.at[axis] = this.relative ? (current === null ? null : current + v) : v;
      }
    } else if (word === 'G92') {
      // Sets the logical position without moving: what is given is known, bare G92 changes nothing.
      for (const axis of AXES) {
        const v = numericParam(command, axis.toUpperCase());
        if (v !== undefined) this.at[axis] = v;
      }
    } else if (word.startsWith('T') || POSITION_UNKNOWN_AFTER.has(word)) {
      // Tool changes apply the new tool's offsets; the rest move the head where the firmware decides.
      for (const axis of AXES) this.at[axis] = null;
    }
  }

  /**
   * Whether `report` contradicts the height the job's moves make certain. Height is what a resume lowers
   * the nozzle to, so a wrong one drives it into the part; a wrong X or Y only misplaces the return.
   */
  contradicts(report: Position): boolean {
    const known = this.at.z;
    return known !== null && Math.abs(known - report.z) > POSITION_TOLERANCE_MM;
  }
}
