// The printer profile's temperature limits, applied to every command before it is sent.

import { commandWord, numericParam } from './line-framing.js';

export interface TemperatureLimits {
  maxHotendTemp: number;
  maxBedTemp: number;
  maxChamberTemp?: number;
}

export interface LimitViolation {
  heater: 'hotend' | 'bed' | 'chamber';
  requested: number;
  limit: number;
  message: string;
}

const HOTEND = new Set(['M104', 'M109']);
const BED = new Set(['M140', 'M190']);
const CHAMBER = new Set(['M141', 'M191']);

export function checkTemperature(command: string, limits: TemperatureLimits): LimitViolation | null {
  const word = commandWord(command);
  let heater: LimitViolation['heater'];
  let limit: number;
  if (HOTEND.has(word)) {
    heater = 'hotend';
    limit = limits.maxHotendTemp;
  } else if (BED.has(word)) {
    heater = 'bed';
    limit = limits.maxBedTemp;
  } else if (CHAMBER.has(word)) {
    heater = 'chamber';
    limit = limits.maxChamberTemp ?? limits.maxBedTemp;
  } else if (word === 'M303') {
    // PID autotune heats to S; E-1 is the bed.
    const e = numericParam(command, 'E') ?? 0;
    heater = e < 0 ? 'bed' : 'hotend';
    limit = e < 0 ? limits.maxBedTemp : limits.maxHotendTemp;
  } else return null;
  const requested = Math.max(numericParam(command, 'S') ?? -Infinity, numericParam(command, 'R') ?? -Infinity);
  if (!Number.isFinite(requested) || requested <= limit) return null;
  const name = heater === 'hotend' ? 'hotend' : heater === 'bed' ? 'bed' : 'chamber';
  return {
    heater,
    requested,
    limit,
    message: `"${command}" would heat the ${name} to ${requested} °C, above this printer's limit of ${limit} °C.`,
  };
}
