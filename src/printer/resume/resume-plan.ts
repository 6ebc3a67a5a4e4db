// The G-code that puts a printer back where an interrupted print left it, so the stored file can go on
// from the first line of a layer. Each step says in plain words what it does, for the dialog where the
// user confirms it. Z is never homed onto the print unless the user says that is safe: the nozzle's
// height is declared with G92 instead, and only X and Y are homed, after lifting the nozzle clear.

import type { JobCheckpoint, PrintStateSnapshot } from '../../storage/job-checkpoint.js';
import type { LayerStart } from './layer-index.js';

export interface ResumeChoices {
  /** The height the nozzle is at now (mm, in the file's coordinates), declared with G92. */
  nozzleZ: number;
  /** Home Z too: only when the nozzle is clear of the print and the printer homes Z away from it. */
  homeZ: boolean;
  /** Filament pushed through above the part before printing (mm). */
  primeMm?: number;
  /** How far to lift above the nozzle's height and above the part for travel (mm). */
  clearanceMm?: number;
}

export interface ResumeStep {
  /** What happens, in plain words. */
  says: string;
  lines: string[];
}

export type ResumePlan =
  | { ok: true; steps: ResumeStep[]; lines: string[]; layer: number; startLine: number; startOffset: number; warnings: string[] }
  | { ok: false; message: string };

export const DEFAULT_PRIME_MM = 3;
export const DEFAULT_CLEARANCE_MM = 5;
const TRAVEL_FEED = 6000;
const Z_FEED = 600;
const PRIME_FEED = 150;

export function buildResumePlan(input: { layer: LayerStart; checkpoint: JobCheckpoint | null; choices: ResumeChoices }): ResumePlan {
  const { layer, checkpoint, choices } = input;
  const s = layer.state;
  const n = layer.layer;
  const prime = choices.primeMm ?? DEFAULT_PRIME_MM;
  const clearance = choices.clearanceMm ?? DEFAULT_CLEARANCE_MM;
  if (!Number.isFinite(choices.nozzleZ) || choices.nozzleZ < 0) return refuse('The nozzle height must be a number of millimetres, 0 or more.');
  if (!Number.isFinite(prime) || prime < 0 || prime > 50) return refuse('The priming length must be between 0 and 50 mm.');
  if (!Number.isFinite(clearance) || clearance < 1 || clearance > 50) return refuse('The clearance must be between 1 and 50 mm.');
  const hotend = s.hotends[s.tool] ?? 0;
  if (hotend <= 0) return refuse(`By layer ${n + 1} the file had not heated the hotend, so there is nothing to resume from there. Print it again instead.`);
  if (Math.abs(s.offsets.x) > 1e-6 || Math.abs(s.offsets.y) > 1e-6) {
    return refuse(`By layer ${n + 1} the file had shifted the X/Y coordinates with G92; after homing X and Y Sliceport cannot put that shift back safely.`);
  }
  if (choices.homeZ && Math.abs(s.offsets.z) > 1e-6) return refuse('The file shifted Z with G92, so Z cannot be homed here: set the nozzle height instead.');

  const steps: ResumeStep[] = [];
  const warnings: string[] = [];
  const heat: string[] = [];
  const heaters: string[] = [];
  if (s.bed > 0) heat.push(`M140 S${num(s.bed)}`);
  if (s.chamber > 0) heat.push(`M141 S${num(s.chamber)}`);
  const hotends = Object.entries(s.hotends).filter(([, t]) => t > 0);
  for (const [tool, t] of hotends) heat.push(`M104 T${tool} S${num(t)}`);
  if (s.bed > 0) {
    heat.push(`M190 S${num(s.bed)}`);
    heaters.push(`the bed to ${num(s.bed)} °C`);
  }
  for (const [tool, t] of hotends) {
    heat.push(`M109 T${tool} S${num(t)}`);
    heaters.push(hotends.length > 1 ? `hotend ${tool} to ${num(t)} °C` : `the hotend to ${num(t)} °C`);
  }
  steps.push({ says: `Heat ${listing(heaters)} (the temperatures the file had set by layer ${n + 1}) and wait until they are reached.`, lines: heat });
  steps.push({ says: 'Switch to millimetres and absolute positions.', lines: ['G21', 'G90'] });

  const travelZ = round(Math.max(s.maxZ, choices.homeZ ? 0 : choices.nozzleZ, s.z) + clearance);
  if (choices.homeZ) {
    steps.push({ says: `Lift the nozzle ${num(clearance)} mm straight up, then home all axes (you confirmed the nozzle is clear of the print and Z homes away from it).`, lines: ['G91', `G1 Z${num(clearance)} F${Z_FEED}`, 'G90', 'G28'] });
  } else {
    steps.push({
      says: `Take the nozzle's current height to be Z ${num(choices.nozzleZ)} mm (Z is not homed, so the nozzle never comes down onto the print), then lift it ${num(clearance)} mm straight up.`,
      lines: [`G92 Z${num(choices.nozzleZ)}`, 'G91', `G1 Z${num(clearance)} F${Z_FEED}`, 'G90'],
    });
    steps.push({ says: 'Home X and Y only.', lines: ['G28 X Y'] });
  }
  if (s.tool !== 0 || hotends.length > 1) steps.push({ says: `Select tool ${s.tool}.`, lines: [`T${s.tool}`] });
  steps.push({
    says: `Travel at Z ${num(travelZ)} mm, clear of everything printed so far (the nozzle has been no higher than Z ${num(s.maxZ)} mm), to X ${num(s.x)} Y ${num(s.y)}, where layer ${n + 1} starts.`,
    lines: [`G1 Z${num(travelZ)} F${Z_FEED}`, `G1 X${num(s.x)} Y${num(s.y)} F${TRAVEL_FEED}`],
  });
  if (prime > 0) steps.push({ says: `Push ${num(prime)} mm of filament through the nozzle there, above the part, so the first move prints.`, lines: ['M83', `G1 E${num(prime)} F${PRIME_FEED}`] });
  steps.push({ says: `Lower the nozzle to Z ${num(s.z)} mm, where the file had it when layer ${n + 1} began.`, lines: [`G1 Z${num(s.z)} F${Z_FEED}`] });
  steps.push(restoreStep(s));
  steps.push({ says: `Continue with line ${layer.line} of the file, the first line of layer ${n + 1}.`, lines: [] });

  if (checkpoint) {
    const top = checkpoint.finished ? checkpoint.finished.layer : -1;
    if (n <= top) warnings.push(`Layer ${n + 1} was finished before the print stopped (layers up to ${top + 1} were): the nozzle goes down into what is already printed. Choose it only if those layers are missing or were removed.`);
    if (!choices.homeZ && choices.nozzleZ + 1e-6 < checkpoint.zLow) {
      warnings.push(`The nozzle height you gave is below where the print had reached (Z ${num(checkpoint.zLow)} mm): the first layer will be pressed into the part.`);
    }
  }
  const lines = steps.flatMap((st) => st.lines);
  return { ok: true, steps, lines, layer: n, startLine: layer.line, startOffset: layer.offset, warnings };
}

/** E position, modes, fans and feed rate as the file had them, so its next line means what it says. */
function restoreStep(s: PrintStateSnapshot): ResumeStep {
  const lines = [`G92 E${num(s.e)}`, s.relativeExtrusion ? 'M83' : 'M82', s.relativePositioning ? 'G91' : 'G90'];
  const words = [`set the extruder position to E ${num(s.e)} as the file expects`, s.relativeExtrusion ? 'relative extrusion (M83)' : 'absolute extrusion (M82)'];
  if (s.relativePositioning) words.push('relative positioning (G91)');
  const fans = Object.entries(s.fans);
  if (fans.length === 0) {
    lines.push('M107');
    words.push('fan off');
  }
  for (const [index, speed] of fans) {
    lines.push(speed > 0 ? `M106 P${index} S${Math.round(speed)}` : `M107 P${index}`);
    words.push(`${fans.length > 1 ? `fan ${index}` : 'fan'} ${speed > 0 ? `at ${Math.round((speed / 255) * 100)} %` : 'off'}`);
  }
  if (s.feedRateMmMin !== null) {
    lines.push(`G1 F${num(s.feedRateMmMin)}`);
    words.push(`feed rate ${num(s.feedRateMmMin)} mm/min`);
  }
  // Last, so everything above is read in millimetres.
  if (s.units === 'inch') {
    lines.push('G20');
    words.push('inches, as the file uses');
  }
  return { says: `Restore the file's settings: ${listing(words)}.`, lines };
}

function refuse(message: string): ResumePlan {
  return { ok: false, message };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function num(n: number): string {
  return String(round(n));
}

function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
