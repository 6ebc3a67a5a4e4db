// Which flow-control mode to use, and why.
//
// Fast mode (character counting) relies on two firmware behaviours: Marlin's receive buffer is at least
// 128 bytes on every board it runs on (AVR's RX_BUFFER_SIZE default; 32-bit boards have more), and on a
// bad line Marlin flushes that buffer and asks for `last+1`, which our resend handling is built around.
// So with `auto` we pick fast mode when the firmware identifies as Marlin (or a Marlin derivative such as
// Prusa-Firmware, which names its source) and safe mode for anything we cannot vouch for (other
// firmwares, or no M115 answer). The window defaults to 128 bytes less one, because a ring buffer of N
// bytes holds N-1; a profile can raise it for boards with bigger buffers. ADVANCED_OK, when present,
// additionally bounds the number of lines in flight by the free command slots. Repeated trouble (many
// resend requests, watchdogs firing) drops back to safe mode for the rest of the session.

import type { FirmwareInfo } from '../link-api.js';
import { isMarlinFamily } from './capabilities.js';

export type FlowMode = 'safe' | 'fast';
export type FlowPreference = 'auto' | 'safe' | 'fast';

export const DEFAULT_RECEIVE_BUFFER_BYTES = 128;

export function chooseFlowMode(pref: FlowPreference, firmware: FirmwareInfo | undefined): { mode: FlowMode; reason: string } {
  if (pref === 'safe') return { mode: 'safe', reason: 'Safe mode (one line at a time) was chosen in the printer profile.' };
  if (pref === 'fast') return { mode: 'fast', reason: 'Fast mode was chosen in the printer profile.' };
  if (isMarlinFamily(firmware)) {
    return { mode: 'fast', reason: 'Fast mode: the firmware is Marlin, whose receive buffer and resend behaviour are known.' };
  }
  return { mode: 'safe', reason: 'Safe mode: the firmware did not identify as Marlin, so only one line is sent at a time.' };
}

/** Usable bytes of a receive buffer of `bytes` (a ring buffer keeps one slot free). */
export function characterWindow(bytes: number | undefined): number {
  const b = bytes && bytes > 0 ? Math.floor(bytes) : DEFAULT_RECEIVE_BUFFER_BYTES;
  return Math.max(32, b - 1);
}

/** Counts trouble (resend requests, stalls) over the last lines sent; too much means "go safe". */
export class TroubleMeter {
  private at: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowLines: number,
  ) {}

  /** Records trouble after `linesSent` lines; true when the limit is reached (and starts over). */
  note(linesSent: number): boolean {
    this.at.push(linesSent);
    while (this.at.length && this.at[0]! < linesSent - this.windowLines) this.at.shift();
    if (this.at.length < this.limit) return false;
    this.at = [];
    return true;
  }
}
