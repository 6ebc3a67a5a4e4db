// Which transport a connection choice opens. The simulated printer runs right here in the printer worker,
// on real timers, behind the same small interface as Web Serial.

import { SimulatedPrinter, type SimulatorOptions } from './simulator/index.js';
import type { OpenTransport, PrinterTransport, TransportHandlers } from './printer-link.js';
import type { SimulatorChoice } from './link-api.js';

export const openTransport: OpenTransport = async (choice, handlers) => {
  if (choice.kind === 'simulator') return new SimulatorTransport(choice, handlers);
  throw new Error('USB printers are not available in this build yet.');
};

class SimulatorTransport implements PrinterTransport {
  private readonly printer: SimulatedPrinter;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly start = performance.now();

  constructor(choice: SimulatorChoice, private readonly handlers: TransportHandlers) {
    this.printer = new SimulatedPrinter((choice.options ?? {}) as SimulatorOptions, 0);
    this.pump();
  }

  private now(): number {
    return performance.now() - this.start;
  }

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    this.printer.receive(bytes, this.now());
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
  }

  simulatorLog(): string[] {
    return this.printer.executionLog.map((c) => c.command);
  }

  private pump(): void {
    if (this.closed) return;
    for (const b of this.printer.takeWrites()) queueMicrotask(() => !this.closed && this.handlers.onData(b));
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.printer.nextWakeAt();
    if (wake === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.printer.tick(this.now());
      this.pump();
    }, Math.max(0, wake - this.now()));
  }
}
