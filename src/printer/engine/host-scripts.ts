// Pause, resume and cancel as the host runs them: the printer profile's scripts, or safe defaults, plus
// the steps around them that only the host can know (captured position, the job's temperatures and modes).

import type { Position } from '../link-api.js';
import { commandWord, numericParam, stripComment } from './line-framing.js';
import type { ModalState } from './modal-state.js';

export interface ProfileScripts {
  pause: string;
  resume: string;
  cancel: string;
  afterConnect: string;
}

/** Retract a little and lift the nozzle off the print; relative moves so any position is safe. */
export const DEFAULT_PAUSE_SCRIPT = 'M83\nG1 E-2 F2400\nG91\nG1 Z10 F600\nG90';
/** Undo the default pause's retraction once the head is back in place. */
export const DEFAULT_RESUME_SCRIPT = 'M83\nG1 E2 F2400';
/** Heaters and fan off, lift the nozzle clear, motors off. */
export const DEFAULT_CANCEL_SCRIPT = 'M104 S0\nM140 S0\nM107\nG91\nG1 Z10 F600\nG90\nM84';

export function scriptLines(script: string | undefined, fallback: string): string[] {
  const text = script && script.trim() ? script : fallback;
  return text.split(/\r?\n/).map(stripComment).filter((l) => l.length > 0);
}

/**
 * Resume: heat back to the job's temperatures (waiting only if they were set), travel back over the
 * recorded position then down to it, run the resume script (unretract by default), and restore the
 * E coordinate, extrusion and positioning modes and the feed rate the job was using.
 */
export function resumeSequence(position: Position | undefined, modal: ModalState, resumeScript: string | undefined, undoLift: string[] = []): string[] {
  const out: string[] = [];
  if (modal.bedTarget > 0) out.push(`M140 S${modal.bedTarget}`);
  for (const [tool, t] of modal.hotendTargets) if (t > 0) out.push(`M104 T${tool} S${t}`);
  if (modal.bedTarget > 0) out.push(`M190 S${modal.bedTarget}`);
  for (const [tool, t] of modal.hotendTargets) if (t > 0) out.push(`M109 T${tool} S${t}`);
  if (modal.tool !== 0 || modal.hotendTargets.size > 1) out.push(`T${modal.tool}`);
  if (position) {
    out.push('G90');
    out.push(`G1 X${fmt(position.x)} Y${fmt(position.y)} F6000`);
    out.push(`G1 Z${fmt(position.z)} F600`);
  } else {
    // No recorded position: take back exactly what the pause script moved, relatively.
    out.push(...undoLift);
  }
  out.push(...scriptLines(resumeScript, DEFAULT_RESUME_SCRIPT));
  if (position) out.push(`G92 E${fmt(position.e)}`);
  out.push(modal.absolutePositioning ? 'G90' : 'G91');
  out.push(modal.absoluteExtrusion ? 'M82' : 'M83');
  if (modal.feedRate !== undefined) out.push(`G1 F${fmt(modal.feedRate)}`);
  return out;
}

/**
 * The moves that take back what a pause script did to the head, when every move it makes is relative
 * (the default lifts Z by 10 mm): back over the part first, then down. Null when the script moves to
 * an absolute place, homes, or sets a position: without the recorded position that cannot be undone.
 * `absoluteAtStart`: the positioning mode the job was in when the script started.
 */
export function undoRelativeMoves(pauseLines: string[], absoluteAtStart: boolean): string[] | null {
  let absolute = absoluteAtStart;
  const moved = { X: 0, Y: 0, Z: 0 };
  for (const line of pauseLines) {
    const word = commandWord(line);
    if (word === 'G90') absolute = true;
    else if (word === 'G91') absolute = false;
    else if (word === 'G0' || word === 'G1') {
      for (const axis of ['X', 'Y', 'Z'] as const) {
        const v = numericParam(line, axis);
        if (v === undefined) continue;
        if (absolute) return null;
        moved[axis] += v;
      }
    } else if (word.startsWith('G')) {
      // Arcs, homing, parking, G92 and the like: where the head ends up is not known.
      if (word !== 'G4' && word !== 'G20' && word !== 'G21') return null;
    }
  }
  const out: string[] = [];
  if (moved.X === 0 && moved.Y === 0 && moved.Z === 0) return out;
  out.push('G91');
  if (moved.X !== 0 || moved.Y !== 0) out.push(`G1 X${fmt(-moved.X)} Y${fmt(-moved.Y)} F6000`);
  if (moved.Z !== 0) out.push(`G1 Z${fmt(-moved.Z)} F600`);
  out.push('G90');
  return out;
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
