import { describe, expect, it } from 'vitest';
import type { SerialChoice } from './link-api.js';
import { PORT_STOP_LINES, emergencyStopThroughPort } from './port-emergency-stop.js';
import type { SerialLike, SerialPortLike } from './transport/web-serial-transport.js';

class RecordingPort extends EventTarget implements SerialPortLike {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  written = '';
  openedAt: number[] = [];
  closed = 0;
  constructor(
    private readonly info: { usbVendorId?: number; usbProductId?: number },
    private readonly behaviour: { openError?: Error; writeError?: Error } = {},
  ) {
    super();
  }
  getInfo() {
    return this.info;
  }
  async open(options: { baudRate: number }) {
    if (this.behaviour.openError) throw this.behaviour.openError;
    this.openedAt.push(options.baudRate);
    this.readable = new ReadableStream<Uint8Array>();
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => {
        if (this.behaviour.writeError) throw this.behaviour.writeError;
        this.written += new TextDecoder().decode(chunk);
      },
    });
  }
  async close() {
    this.closed++;
    this.readable = null;
    this.writable = null;
  }
}

const choice: SerialChoice = { kind: 'serial', baudRate: 250000, usbVendorId: 0x1a86, usbProductId: 0x7523, portIndex: 0 };
const serialWith = (...ports: SerialPortLike[]): SerialLike => ({ getPorts: async () => ports });

describe('emergencyStopThroughPort', () => {
  it('opens the printer’s own port at its baud rate, sends M112 then heaters off, and closes it', async () => {
    const other = new RecordingPort({ usbVendorId: 0x2341, usbProductId: 0x0042 });
    const printer = new RecordingPort({ usbVendorId: 0x1a86, usbProductId: 0x7523 });
    const result = await emergencyStopThroughPort(serialWith(other, printer), choice);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.said).toMatch(/M112.*250000 baud/);
    expect(printer.openedAt).toEqual([250000]);
    expect(printer.written).toBe('M112\nM104 S0\nM140 S0\n');
    expect(PORT_STOP_LINES[0]).toBe('M112');
    expect(printer.closed).toBe(1);
    expect(other.openedAt).toEqual([]);
  });

  it('says plainly when the port is held elsewhere, and advises the power switch', async () => {
    const busy = new RecordingPort({ usbVendorId: 0x1a86, usbProductId: 0x7523 }, { openError: new DOMException('Failed to open serial port.', 'NetworkError') });
    const result = await emergencyStopThroughPort(serialWith(busy), choice);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/could not be opened again.*power switch/), detail: 'Failed to open serial port.' });
  });

  it('a port that opens but cannot be written to is closed again and reported', async () => {
    const broken = new RecordingPort({ usbVendorId: 0x1a86, usbProductId: 0x7523 }, { writeError: new Error('The device has been lost.') });
    const result = await emergencyStopThroughPort(serialWith(broken), choice);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/could not be sent/);
    expect(broken.closed).toBe(1);
  });

  it('without Web Serial, or without the port, it says what to do instead', async () => {
    const none = await emergencyStopThroughPort(undefined, choice);
    expect(none.ok).toBe(false);
    const gone = await emergencyStopThroughPort(serialWith(), choice);
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.message).toMatch(/power switch/);
  });

  it('an automatic baud rate falls back to the usual 115200', async () => {
    const printer = new RecordingPort({ usbVendorId: 0x1a86, usbProductId: 0x7523 });
    await emergencyStopThroughPort(serialWith(printer), { ...choice, baudRate: 'auto' });
    expect(printer.openedAt).toEqual([115200]);
  });
});
