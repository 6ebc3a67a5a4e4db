// Commands behind the Control panel's buttons, and the checks that keep them safe.

import type { ConnectionState, JobProgress, TemperatureReading } from '../printer/link-api.js';

export type Axis = 'X' | 'Y' | 'Z';

export const jogSteps: readonly number[] = [0.1, 1, 10, 100];
export const jogFeedRates: Record<Axis, number> = { X: 3000, Y: 3000, Z: 600 };

/** A relative move that leaves the printer in absolute mode afterwards. */
export function jogCommands(axis: Axis, distanceMm: number, feedRate = jogFeedRates[axis]): string[] {
  if (!Number.isFinite(distanceMm) || distanceMm === 0) return [];
  return ['G91', `G1 ${axis}${round(distanceMm)} F${Math.round(feedRate)}`, 'G90'];
}

export function homeCommand(axes: readonly Axis[] = []): string {
  return axes.length === 0 ? 'G28' : `G28 ${axes.join(' ')}`;
}

/** Marlin refuses cold extrusion below 170 °C by default (EXTRUDE_MINTEMP). */
export const minExtrudeTemp = 170;

export type ControlCheck = { ok: true; commands: string[] } | { ok: false; message: string };

export function extrudeCommands(
  lengthMm: number,
  speedMmPerS: number,
  temperatures: readonly TemperatureReading[],
  tool = 0,
): ControlCheck {
  const hotend = temperatures.find((t) => t.heater === `T${tool}`) ?? (tool === 0 ? temperatures.find((t) => t.heater === 'T0') : undefined);
  if (!hotend || hotend.current < minExtrudeTemp) {
    const now = hotend ? `${Math.round(hotend.current)} °C` : 'unknown';
    return {
      ok: false,
      message: `The hotend is too cold to move filament (it is ${now}; it needs at least ${minExtrudeTemp} °C). Heat it first, for example with a material preset.`,
    };
  }
  if (!Number.isFinite(lengthMm) || lengthMm === 0 || Math.abs(lengthMm) > 200) return { ok: false, message: 'Choose a length between 0.1 and 200 mm.' };
  if (!Number.isFinite(speedMmPerS) || speedMmPerS <= 0 || speedMmPerS > 100) return { ok: false, message: 'Choose a speed between 1 and 100 mm/s.' };
  return { ok: true, commands: ['M83', `G1 E${round(lengthMm)} F${Math.round(speedMmPerS * 60)}`] };
}

export function fanCommand(percent: number): string {
  const pwm = Math.round((Math.min(100, Math.max(0, percent)) / 100) * 255);
  return pwm === 0 ? 'M107' : `M106 S${pwm}`;
}

export function overrideCommand(kind: 'speed' | 'flow', percent: number): ControlCheck {
  if (!Number.isFinite(percent) || percent < 10 || percent > 300) return { ok: false, message: 'Choose a value between 10 % and 300 %.' };
  return { ok: true, commands: [`${kind === 'speed' ? 'M220' : 'M221'} S${Math.round(percent)}`] };
}

export function babystepCommand(mm: number): string {
  return `M290 Z${round(mm)}`;
}

/** Babystepping needs BABYSTEPPING in the firmware; Marlin reports it as `Cap:BABYSTEPPING` on recent builds. */
export function supportsBabystep(capabilities: Record<string, boolean> | undefined): boolean {
  return capabilities?.BABYSTEPPING === true;
}

export function setTemperatureCommand(heater: string, target: number): string {
  const s = Math.max(0, Math.round(target));
  if (heater === 'B') return `M140 S${s}`;
  if (heater === 'C') return `M141 S${s}`;
  const tool = heater.startsWith('T') ? Number(heater.slice(1) || 0) : 0;
  return tool === 0 ? `M104 S${s}` : `M104 T${tool} S${s}`;
}

/**
 * The Emergency stop asks for confirmation only when it cannot cost a print: while a job runs or a
 * heater is on, a confirmation dialog is a delay that could, so it acts at once.
 */
export function emergencyStopNeedsConfirmation(state: ConnectionState, job: JobProgress | undefined, temperatures: readonly TemperatureReading[]): boolean {
  if (state === 'printing' || state === 'paused' || state === 'heating') return false;
  if (job && (job.state === 'printing' || job.state === 'pausing' || job.state === 'paused' || job.state === 'resuming' || job.state === 'cancelling')) return false;
  if (temperatures.some((t) => t.target > 0)) return false;
  return true;
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
