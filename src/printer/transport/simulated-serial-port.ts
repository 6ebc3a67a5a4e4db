// A SerialPort whose far end is the simulated printer: the Web Serial transport runs unchanged against
// it (Node tests, end-to-end tests with an injected `navigator.serial`). Opening it resets the simulated
// board, as DTR does on real ones. It can also misbehave on request: a non-fatal read error, or an unplug.

import { SimulatedPrinter } from '../simulator/index.js';
import { RealtimeLink } from './realtime-link.js';
import { firmwareOptions, simulatedWireOptions, type SimulatorTransportOptions } from './simulator-transport.js';
import { realClock, type TransportClock } from './transport.js';
import type { SerialLike, SerialPortLike } from './web-serial-transport.js';

export interface SimulatedSerialPortOptions {
  usbVendorId?: number;
  usbProductId?: number;
  /** The firmware and link options, as for the simulated-printer transport. */
  simulator?: SimulatorTransportOptions;
  clock?: TransportClock;
}

export class SimulatedSerialPort extends EventTarget implements SerialPortLike {
  /** The firmware behind the port, once opened (a new one at each open: the board resets). */
  printer: SimulatedPrinter | null = null;
  openedWith: { baudRate: number; bufferSize?: number } | null = null;
  private link: RealtimeLink | null = null;
  private readableStream: ReadableStream<Uint8Array> | null = null;
  private readController: ReadableStreamDefaultController<Uint8Array> | null = null;
  private writableStream: WritableStream<Uint8Array> | null = null;
  private writeController: WritableStreamDefaultController | null = null;
  private unplugged = false;
  private readonly clock: TransportClock;

  constructor(private readonly options: SimulatedSerialPortOptions = {}) {
    super();
    this.clock = options.clock ?? realClock;
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return { usbVendorId: this.options.usbVendorId, usbProductId: this.options.usbProductId };
  }

  async open(options: { baudRate: number; bufferSize?: number }): Promise<void> {
    if (this.unplugged) throw new DOMException('The device has been lost.', 'NetworkError');
    if (this.link) throw new DOMException('The port is already open.', 'InvalidStateError');
    if (!(options.baudRate > 0)) throw new TypeError('baudRate must be positive');
    this.openedWith = { ...options };
    const simulator = this.options.simulator ?? {};
    this.printer = new SimulatedPrinter(firmwareOptions(simulator), this.clock.now());
    this.link = new RealtimeLink(
      this.printer,
      (bytes) => this.readController?.enqueue(bytes),
      this.clock,
      simulatedWireOptions(simulator, options.baudRate),
    );
  }

  get readable(): ReadableStream<Uint8Array> | null {
    if (!this.link) return null;
    // As in Web Serial, a new stream replaces one that ended with a non-fatal error.
    if (!this.readableStream) {
      this.readableStream = new ReadableStream<Uint8Array>({
        start: (controller) => {
          this.readController = controller;
        },
      });
    }
    return this.readableStream;
  }

  get writable(): WritableStream<Uint8Array> | null {
    if (!this.link) return null;
    if (!this.writableStream) {
      this.writableStream = new WritableStream<Uint8Array>({
        start: (controller) => {
          this.writeController = controller;
        },
        write: (chunk) => {
          if (!this.link) throw new DOMException('The device has been lost.', 'NetworkError');
          this.link.write(chunk);
        },
      });
    }
    return this.writableStream;
  }

  async close(): Promise<void> {
    if (!this.link) {
      if (this.unplugged) return;
      throw new DOMException('The port is already closed.', 'InvalidStateError');
    }
    this.link.stop();
    this.link = null;
    try {
      this.readController?.close();
    } catch {
      // Already errored.
    }
    this.readableStream = null;
    this.readController = null;
    this.writableStream = null;
    this.writeController = null;
  }

  /** A non-fatal read error (overrun, framing, parity, break): the current stream errors, the port stays open. */
  injectReadError(name: 'BufferOverrunError' | 'FramingError' | 'ParityError' | 'BreakError' = 'FramingError'): void {
    const controller = this.readController;
    this.readableStream = null;
    this.readController = null;
    controller?.error(new DOMException(`A ${name} occurred.`, name));
  }

  /** The cable is pulled: streams fail with NetworkError and `disconnect` fires. */
  unplug(): void {
    this.unplugged = true;
    this.link?.stop();
    this.link = null;
    const lost = new DOMException('The device has been lost.', 'NetworkError');
    this.readController?.error(lost);
    this.writeController?.error(lost);
    this.readableStream = null;
    this.readController = null;
    this.writableStream = null;
    this.writeController = null;
    this.dispatchEvent(new Event('disconnect'));
  }
}

/** A `navigator.serial` stand-in that has already been granted these ports. */
export function simulatedSerial(ports: SerialPortLike[]): SerialLike {
  return { getPorts: async () => [...ports] };
}
