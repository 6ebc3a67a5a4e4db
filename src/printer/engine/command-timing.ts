// How long the firmware may legitimately stay silent while a command runs, so a slow command is not
// mistaken for a dead link and a dead link is not mistaken for a slow command.

import { commandWord } from './line-framing.js';

const LONG_RUNNING = new Set(['G28', 'G29', 'G30', 'G32', 'G4', 'M400', 'M226', 'M600', 'M303', 'G34', 'G35', 'M48']);
const HEATING_WAIT = new Set(['M109', 'M190', 'M191', 'M116']);

export type CommandTiming = 'normal' | 'long' | 'heating';

export function commandTiming(command: string): CommandTiming {
  const word = commandWord(command);
  if (HEATING_WAIT.has(word)) return 'heating';
  if (LONG_RUNNING.has(word)) return 'long';
  return 'normal';
}

export interface TimeoutAllowances {
  /** No reply at all for this long means the link stalled (firmware that never sent `busy:`). */
  replyMs: number;
  /** Once `busy:` keepalives have been seen, silence this long is already abnormal. */
  keepaliveMs: number;
  /** Allowance while a long-running command (homing, levelling, M400…) is in flight without keepalives. */
  longCommandMs: number;
  /** Allowance while a heating wait is in flight without keepalives. */
  heatingMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutAllowances = {
  replyMs: 30_000,
  keepaliveMs: 3_500,
  longCommandMs: 600_000,
  heatingMs: 900_000,
};

/** How long silence is normal with these commands in flight. */
export function silenceAllowance(inFlight: readonly CommandTiming[], keepaliveSeen: boolean, t: TimeoutAllowances): number {
  // Once keepalives are known, any long command announces itself every couple of seconds.
  if (keepaliveSeen) return t.keepaliveMs;
  let allowance = t.replyMs;
  for (const timing of inFlight) {
    if (timing === 'heating') allowance = Math.max(allowance, t.heatingMs);
    else if (timing === 'long') allowance = Math.max(allowance, t.longCommandMs);
  }
  return allowance;
}
