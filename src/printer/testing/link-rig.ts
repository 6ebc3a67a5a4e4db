// Test rig for the printer link: a virtual clock, the simulated firmware behind a transport with a fixed
// reply delay, and a printer profile. Shared by the link's tests so each one drives the same machinery.
import type { PrinterProfileRecord } from '../../storage/records.js';
import type { LinkClock, PrinterTransport, TransportHandlers } from '../printer-link.js';
import { SimulatedPrinter, type SimulatorOptions } from '../simulator/index.js';

/** Timers on a virtual clock. */
export class ManualClock implements LinkClock {
  t = 1_700_000_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  /**
   * A worker too busy to run timers on time: the clock jumps to `now + ms`, then every timer that fell
   * due meanwhile runs, in order, all seeing that same late time.
   */
  busy = false;
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  /** Runs timers due up to `now + ms`, in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    if (this.busy) this.t = end;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }
}

export interface ExecutedCommand {
  command: string;
  /** The firmware's position once the command ran. */
  position: { x: number; y: number; z: number; e: number };
}

/** The simulated printer behind a transport with a fixed reply delay on the virtual clock. */
export class SimTransport implements PrinterTransport {
  readonly printer: SimulatedPrinter;
  /** Every command the firmware ran, with its position right after (only when asked for). */
  readonly executed: ExecutedCommand[] = [];
  private wakeTimer: unknown = null;
  unplugged = false;
  constructor(
    private readonly clock: ManualClock,
    private readonly handlers: TransportHandlers,
    options: SimulatorOptions,
    settings: {
      /** 0: replies are handed over at the very time of the write that caused them. */
      replyDelayMs?: number;
      recordPositions?: boolean;
    } = {},
  ) {
    this.replyDelayMs = settings.replyDelayMs ?? 1;
    this.printer = new SimulatedPrinter(options, clock.now());
    if (settings.recordPositions) {
      // The firmware logs each command when it has run it: take its position right then.
      const hooked = this.printer as unknown as { log: (line: number | null, command: string, ...rest: unknown[]) => void };
      const original = hooked.log.bind(this.printer);
      hooked.log = (line, command, ...rest) => {
        original(line, command, ...rest);
        this.executed.push({ command, position: this.printer.currentPosition });
      };
    }
    this.pump();
  }
  private readonly replyDelayMs: number;
  write(bytes: Uint8Array): void {
    if (this.unplugged) return;
    this.printer.receive(bytes, this.clock.now());
    this.pump();
  }
  async close(): Promise<void> {
    if (this.wakeTimer !== null) this.clock.clearTimer(this.wakeTimer);
  }
  simulatorLog(): string[] {
    return this.printer.executionLog.map((c) => c.command);
  }
  unplug(): void {
    this.unplugged = true;
    if (this.wakeTimer !== null) this.clock.clearTimer(this.wakeTimer);
    this.handlers.onLost('The printer was unplugged or its USB connection was lost.');
  }
  private pump(): void {
    if (this.unplugged) return;
    for (const b of this.printer.takeWrites()) this.clock.setTimer(() => !this.unplugged && this.handlers.onData(b), this.replyDelayMs);
    if (this.wakeTimer !== null) this.clock.clearTimer(this.wakeTimer);
    const wake = this.printer.nextWakeAt();
    this.wakeTimer =
      wake === null
        ? null
        : this.clock.setTimer(() => {
            this.wakeTimer = null;
            this.printer.tick(this.clock.now());
            this.pump();
          }, Math.max(0, wake - this.clock.now()));
  }
}

export const TEST_PROFILE: PrinterProfileRecord = {
  id: 'p1',
  name: 'Test Ender',
  baudRate: 115200,
  volume: { width: 220, depth: 220, height: 250, shape: 'rectangular', originAtCenter: false },
  extruderCount: 1,
  heatedBed: true,
  heatedChamber: false,
  maxHotendTemp: 260,
  maxBedTemp: 100,
  scripts: { pause: '', resume: '', cancel: '', afterConnect: '' },
  receiveBufferBytes: 128,
  flowControl: 'auto',
  updatedAt: 0,
};

/** Advances virtual time in 50 ms steps, letting IndexedDB's real callbacks run in between. */
export async function runVirtualTime(clock: ManualClock, ms: number, until?: () => boolean): Promise<void> {
  for (let t = 0; t < ms; t += 50) {
    clock.advance(50);
    await new Promise((r) => setTimeout(r, 0));
    if (until?.()) return;
  }
}
