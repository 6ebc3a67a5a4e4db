// The small interface between the printer worker and whatever carries the bytes: Web Serial or the
// simulated printer. The worker's link (src/printer/printer-link.ts) consumes exactly this shape.

import type { TransportChoice } from '../link-api.js';

export interface TransportHandlers {
  onData(bytes: Uint8Array): void;
  /** The device went away (cable pulled, "device lost"), with a sentence for the user. Called at most once. */
  onLost(reason: string): void;
  /** A glitch the transport recovered from by itself (e.g. a serial framing error), for the log. */
  onNotice?(text: string): void;
}

/** A byte pipe to a printer. */
export interface PrinterTransport {
  /** Fire and forget: writes are queued in order; a failure ends in `onLost`. */
  write(bytes: Uint8Array): void;
  close(): Promise<void>;
  /** Commands the simulated firmware executed, in order (simulator only). */
  simulatorLog?(): string[];
}

/** Opens a transport; rejects with an Error whose message is meant for the user. */
export type OpenTransport = (choice: TransportChoice, handlers: TransportHandlers) => Promise<PrinterTransport>;

/** Time and timers, injectable so the real-time simulator runs under test clocks too. */
export interface TransportClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: TransportClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
