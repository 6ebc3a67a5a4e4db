// "Simulated printer": the Marlin model running inside the printer worker in real time, behind the same
// interface as a USB printer, with byte timing at the chosen baud and a USB adapter's reply latency.

import type { SimulatorChoice } from '../link-api.js';
import { SimulatedPrinter, type SimulatorOptions } from '../simulator/index.js';
import type { VirtualWireOptions } from '../wire/virtual-wire.js';
import { RealtimeLink } from './realtime-link.js';
import { realClock, type PrinterTransport, type TransportClock, type TransportHandlers } from './transport.js';

/** What `SimulatorChoice.options` may carry: the firmware's options plus the link's. */
export interface SimulatorTransportOptions extends SimulatorOptions {
  /** Printer → host USB latency (adapter latency timer), ms. Default 1 (CH340 / native USB). */
  usbLatencyMs?: number;
  /** Host → printer USB latency, ms. Default 1. */
  hostLatencyMs?: number;
  /**
   * The baud rate the firmware was built for. When the port is opened at another rate, every byte is
   * garbage in both directions, as on real hardware (lets the baud auto-detection be exercised).
   */
  firmwareBaud?: number;
}

/** The wire between the host and the simulated firmware for a port opened at `baud`. */
export function simulatedWireOptions(options: SimulatorTransportOptions, baud: number): VirtualWireOptions {
  const mismatch = options.firmwareBaud !== undefined && options.firmwareBaud !== baud;
  const faults = mismatch ? { garble: true } : undefined;
  return {
    baud,
    seed: options.seed,
    hostToPrinter: { latencyMs: options.hostLatencyMs ?? 1, faults },
    printerToHost: { latencyMs: options.usbLatencyMs ?? 1, faults },
  };
}

/** The firmware's own options, without the link's. */
export function firmwareOptions(options: SimulatorTransportOptions): SimulatorOptions {
  const firmware: SimulatorTransportOptions = { ...options };
  delete firmware.usbLatencyMs;
  delete firmware.hostLatencyMs;
  delete firmware.firmwareBaud;
  return firmware;
}

/** Executed commands kept for diagnostics; a 30-hour print must not fill the worker's memory. */
const LOG_LIMIT = 200_000;

export class SimulatorTransport implements PrinterTransport {
  readonly printer: SimulatedPrinter;
  private readonly link: RealtimeLink;
  private closed = false;

  constructor(choice: SimulatorChoice, handlers: TransportHandlers, clock: TransportClock = realClock) {
    const options = (choice.options ?? {}) as SimulatorTransportOptions;
    this.printer = new SimulatedPrinter(firmwareOptions(options), clock.now());
    this.printer.executionLogLimit = LOG_LIMIT;
    const baud = choice.baudRate ?? 115200;
    this.link = new RealtimeLink(
      this.printer,
      (bytes) => {
        if (!this.closed) handlers.onData(bytes);
      },
      clock,
      simulatedWireOptions(options, baud),
    );
  }

  write(bytes: Uint8Array): void {
    if (!this.closed) this.link.write(bytes);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.link.stop();
  }

  simulatorLog(): string[] {
    return this.printer.executionLog.map((entry) => entry.command);
  }
}

export async function openSimulatorTransport(
  choice: SimulatorChoice,
  handlers: TransportHandlers,
  clock: TransportClock = realClock,
): Promise<PrinterTransport> {
  const baud = choice.baudRate ?? 115200;
  if (!(baud > 0)) throw new Error(`The simulated printer needs a positive baud rate, not ${String(choice.baudRate)}.`);
  try {
    return new SimulatorTransport(choice, handlers, clock);
  } catch (error) {
    throw new Error(`The simulated printer could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
