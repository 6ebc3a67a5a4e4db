// A USB printer over Web Serial, opened by the printer worker itself: the page only asked for permission
// (requestPort needs a click); a SerialPort cannot be transferred, so the worker finds the granted port
// again with getPorts() by its USB ids and index.
//
// Read errors: overrun, framing, parity and break errors are non-fatal in Web Serial (the port stays open
// and `readable` is replaced): the transport takes a new reader and goes on, noting the glitch; the
// protocol's checksums and resends repair the damaged line. "Device lost" (NetworkError), an ended stream
// or the port's `disconnect` event mean the cable was pulled: reported once through `onLost`.

import type { SerialChoice } from '../link-api.js';
import type { PrinterTransport, TransportHandlers } from './transport.js';

/** The parts of a SerialPort the transport uses (the real one and test doubles both fit). */
export interface SerialPortLike extends EventTarget {
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  getInfo(): { usbVendorId?: number; usbProductId?: number };
  open(options: { baudRate: number; bufferSize?: number }): Promise<void>;
  close(): Promise<void>;
}

export interface SerialLike {
  getPorts(): Promise<SerialPortLike[]>;
}

export const SERIAL_BUFFER_SIZE = 64 * 1024;
/** Baud used when the choice says `auto` and nothing better is known (Creality's CH340 boards). */
export const DEFAULT_BAUD = 115200;

const NON_FATAL_READ_ERRORS = new Set(['BufferOverrunError', 'FramingError', 'ParityError', 'BreakError']);
/** Non-fatal errors in a row, with no data between them, after which the port is considered gone. */
const MAX_ERRORS_IN_A_ROW = 25;

const UNPLUGGED = 'The printer was unplugged or its USB connection was lost.';

export async function openSerialTransport(
  choice: SerialChoice,
  handlers: TransportHandlers,
  serial: SerialLike | undefined = defaultSerial(),
): Promise<PrinterTransport> {
  if (!serial) {
    throw new Error('This browser cannot talk to USB printers here (Web Serial is missing). Use a recent Chrome or Edge.');
  }
  const port = await findGrantedPort(serial, choice);
  const baudRate = choice.baudRate === 'auto' ? DEFAULT_BAUD : choice.baudRate;
  try {
    await port.open({ baudRate, bufferSize: SERIAL_BUFFER_SIZE });
  } catch (error) {
    throw new Error(describeOpenError(error, baudRate));
  }
  const transport = new WebSerialTransport(port, handlers);
  transport.start();
  return transport;
}

export async function findGrantedPort(serial: SerialLike, choice: SerialChoice): Promise<SerialPortLike> {
  const ports = await serial.getPorts();
  const matching = ports.filter((port) => {
    const info = port.getInfo();
    if (choice.usbVendorId !== undefined && info.usbVendorId !== choice.usbVendorId) return false;
    if (choice.usbProductId !== undefined && info.usbProductId !== choice.usbProductId) return false;
    return true;
  });
  const port = matching[choice.portIndex ?? 0];
  if (!port) {
    throw new Error(
      ports.length === 0
        ? 'No USB printer has been allowed yet. Click Connect and choose the printer’s port.'
        : 'The chosen printer’s USB port is not available. Check the cable, then choose the port again with Connect.',
    );
  }
  return port;
}

export class WebSerialTransport implements PrinterTransport {
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  private writes: Promise<void> = Promise.resolve();
  private closing = false;
  private lost = false;
  private readonly onDisconnect = (): void => this.reportLost(UNPLUGGED);
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly port: SerialPortLike,
    private readonly handlers: TransportHandlers,
  ) {}

  /** Starts reading; separate from the constructor so nothing runs before the port is open. */
  start(): void {
    this.port.addEventListener('disconnect', this.onDisconnect);
    this.writer = this.port.writable?.getWriter() ?? null;
    this.reading = this.readLoop();
  }

  write(bytes: Uint8Array): void {
    if (this.closing || this.lost) return;
    const writer = this.writer;
    if (!writer) {
      this.reportLost(UNPLUGGED);
      return;
    }
    this.writes = this.writes.then(async () => {
      if (this.closing || this.lost) return;
      try {
        await writer.write(bytes);
      } catch (error) {
        if (!this.closing) this.reportLost(describeLoss(error));
      }
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.port.removeEventListener('disconnect', this.onDisconnect);
    await this.release();
  }

  private async readLoop(): Promise<void> {
    let errorsInARow = 0;
    while (!this.closing && !this.lost) {
      const readable = this.port.readable;
      if (!readable) {
        this.reportLost(UNPLUGGED);
        return;
      }
      let reader: ReadableStreamDefaultReader<Uint8Array>;
      try {
        reader = readable.getReader();
      } catch (error) {
        this.reportLost(describeLoss(error));
        return;
      }
      this.reader = reader;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (value && value.length > 0) {
            errorsInARow = 0;
            this.handlers.onData(value);
          }
        }
        // The stream ended without an error: closed by us, or the device went away.
        if (!this.closing) this.reportLost(UNPLUGGED);
        return;
      } catch (error) {
        if (this.closing) return;
        const name = errorName(error);
        if (NON_FATAL_READ_ERRORS.has(name) && ++errorsInARow <= MAX_ERRORS_IN_A_ROW) {
          this.handlers.onNotice?.(`Serial line glitch (${name}); reading goes on.`);
          continue;
        }
        this.reportLost(describeLoss(error));
        return;
      } finally {
        try {
          reader.releaseLock();
        } catch {
          // A reader whose read is still pending cannot be released; it is cancelled below.
        }
        if (this.reader === reader) this.reader = null;
      }
    }
  }

  private reportLost(reason: string): void {
    if (this.lost || this.closing) return;
    this.lost = true;
    this.port.removeEventListener('disconnect', this.onDisconnect);
    this.handlers.onLost(reason);
    void this.release();
  }

  /** Lets go of the streams and closes the port, tolerating a port that is already gone. */
  private async release(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    if (reader) {
      try {
        await reader.cancel();
      } catch {
        // Already errored or released.
      }
    }
    await this.reading.catch(() => undefined);
    await Promise.race([this.writes, delay(1000)]);
    const writer = this.writer;
    this.writer = null;
    if (writer) {
      try {
        writer.releaseLock();
      } catch {
        // Released already.
      }
    }
    try {
      await this.port.close();
    } catch {
      // Closing a lost device fails; there is nothing left to close.
    }
  }
}

function defaultSerial(): SerialLike | undefined {
  if (typeof navigator === 'undefined') return undefined;
  const withSerial = navigator as Navigator & { serial?: SerialLike };
  return withSerial.serial;
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
}

function describeLoss(error: unknown): string {
  if (errorName(error) === 'NetworkError') return UNPLUGGED;
  const detail = error instanceof Error ? error.message : String(error);
  return `The connection to the printer failed (${detail}).`;
}

function describeOpenError(error: unknown, baudRate: number): string {
  const name = errorName(error);
  if (name === 'InvalidStateError') {
    return 'The printer’s port is already open, maybe in another tab or program (OctoPrint, Cura, a slicer). Close it there and try again.';
  }
  if (name === 'NetworkError') {
    return 'The printer’s port could not be opened. Unplug the USB cable, plug it back in, and try again.';
  }
  const detail = error instanceof Error ? error.message : String(error);
  return `The printer’s port could not be opened at ${baudRate} baud (${detail}).`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
