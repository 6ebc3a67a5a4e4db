import { afterEach, describe, expect, test } from 'vitest';
import { frameLine } from '../wire/line-framing.js';
import { openTransport } from './index.js';
import { SimulatedSerialPort, simulatedSerial } from './simulated-serial-port.js';
import type { PrinterTransport, TransportHandlers } from './transport.js';
import { SimulatorTransport } from './simulator-transport.js';
import type { TransportClock } from './transport.js';
import { openSerialTransport, SERIAL_BUFFER_SIZE } from './web-serial-transport.js';

/** A clock whose timers fire only when the test moves time on. */
class ManualClock implements TransportClock {
  time = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private ids = 0;
  now = (): number => this.time;
  setTimer = (fn: () => void, ms: number): unknown => {
    const id = ++this.ids;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = end;
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Collects what a transport delivers, as lines. */
function collector() {
  let text = '';
  const seen = { lost: [] as string[], notices: [] as string[] };
  const handlers: TransportHandlers = {
    onData: (bytes) => {
      text += decoder.decode(bytes);
    },
    onLost: (reason) => seen.lost.push(reason),
    onNotice: (notice) => seen.notices.push(notice),
  };
  return {
    handlers,
    seen,
    lines: () => text.split('\n').filter((l) => l.length > 0),
    async waitFor(pattern: RegExp, count = 1, timeoutMs = 5000): Promise<string[]> {
      const start = Date.now();
      for (;;) {
        const found = text.split('\n').filter((l) => pattern.test(l));
        if (found.length >= count) return found;
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}; got:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

const open: PrinterTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

describe('simulated-printer transport', () => {
  test('runs the firmware in real time: boot banner, replies, executed commands', async () => {
    const c = collector();
    const transport = await openTransport(
      { kind: 'simulator', baudRate: 250000, options: { bootMs: 20, usbLatencyMs: 1 } },
      c.handlers,
    );
    open.push(transport);
    await c.waitFor(/^start$/);
    transport.write(encoder.encode(frameLine(1, 'M105')));
    transport.write(encoder.encode(frameLine(2, 'M115')));
    await c.waitFor(/^ok/, 2);
    expect(c.lines()).toContain('Cap:EMERGENCY_PARSER:1');
    expect(transport.simulatorLog?.()).toEqual(['M105', 'M115']);
    await transport.close();
    transport.write(encoder.encode(frameLine(3, 'M105')));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.lines().filter((l) => l.startsWith('ok'))).toHaveLength(2);
  });

  test('keeps byte timing at the chosen baud and the USB latency on its timers', () => {
    const clock = new ManualClock();
    const arrivals: Array<{ at: number; text: string }> = [];
    const transport = new SimulatorTransport(
      { kind: 'simulator', baudRate: 115200, options: { bootMs: 100, usbLatencyMs: 16, hostLatencyMs: 0 } },
      { onData: (bytes) => arrivals.push({ at: clock.now(), text: decoder.decode(bytes) }), onLost: () => undefined },
      clock,
    );
    clock.advance(99);
    expect(arrivals).toHaveLength(0);
    clock.advance(200);
    const byte = 10_000 / 115200;
    // The banner's first 62-byte packet fills before the 16 ms timer.
    expect(arrivals[0].at).toBeCloseTo(100 + 62 * byte, 6);
    const sentAt = clock.now();
    const line = frameLine(1, 'M400');
    transport.write(encoder.encode(line));
    const before = arrivals.length;
    clock.advance(100);
    const ok = arrivals.slice(before).find((a) => a.text.includes('ok'));
    // Line on the wire, 0.2 ms of firmware time, `ok\n` on the wire, then the adapter's 16 ms timer.
    expect(ok?.at).toBeCloseTo(sentAt + line.length * byte + 0.2 + byte + 16, 6);
    void transport.close();
  });

  test('a bad baud rate is refused with a plain message', async () => {
    const c = collector();
    await expect(openTransport({ kind: 'simulator', baudRate: 0 }, c.handlers)).rejects.toThrow(/positive baud rate/);
  });
});

describe('Web Serial transport (against a SerialPort backed by the simulator)', () => {
  const makePort = (vendor: number, product: number) =>
    new SimulatedSerialPort({ usbVendorId: vendor, usbProductId: product, simulator: { bootMs: 20 } });

  test('finds the granted port by USB ids and index and opens it with a large buffer', async () => {
    const other = makePort(0x0403, 0x6001);
    const first = makePort(0x1a86, 0x7523);
    const second = makePort(0x1a86, 0x7523);
    const c = collector();
    const transport = await openSerialTransport(
      { kind: 'serial', baudRate: 250000, usbVendorId: 0x1a86, usbProductId: 0x7523, portIndex: 1 },
      c.handlers,
      simulatedSerial([other, first, second]),
    );
    open.push(transport);
    expect(second.openedWith).toEqual({ baudRate: 250000, bufferSize: SERIAL_BUFFER_SIZE });
    expect(SERIAL_BUFFER_SIZE).toBeGreaterThanOrEqual(64 * 1024);
    expect(first.openedWith).toBeNull();
    await c.waitFor(/^start$/);
    transport.write(encoder.encode(frameLine(1, 'M115')));
    await c.waitFor(/^FIRMWARE_NAME:/);
    expect(second.printer?.executionLog.map((e) => e.command)).toEqual(['M115']);
  });

  test('a port opened at the wrong baud rate yields only garbage, as on real hardware', async () => {
    const port = new SimulatedSerialPort({ simulator: { bootMs: 20, firmwareBaud: 250000 } });
    const c = collector();
    open.push(await openSerialTransport({ kind: 'serial', baudRate: 115200 }, c.handlers, simulatedSerial([port])));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(c.lines().length).toBeGreaterThan(0);
    expect(c.lines()).not.toContain('start');
    expect(port.printer?.state).toBe('ready');
  });

  test('"auto" baud opens at 115200', async () => {
    const port = makePort(1, 2);
    const c = collector();
    open.push(await openSerialTransport({ kind: 'serial', baudRate: 'auto' }, c.handlers, simulatedSerial([port])));
    expect(port.openedWith?.baudRate).toBe(115200);
  });

  test('missing, busy or absent ports give errors a person can act on', async () => {
    const c = collector();
    await expect(openSerialTransport({ kind: 'serial', baudRate: 115200 }, c.handlers, simulatedSerial([]))).rejects.toThrow(
      /No USB printer has been allowed yet/,
    );
    await expect(
      openSerialTransport({ kind: 'serial', baudRate: 115200, usbVendorId: 9 }, c.handlers, simulatedSerial([makePort(1, 2)])),
    ).rejects.toThrow(/not available/);
    const busy = makePort(1, 2);
    await busy.open({ baudRate: 115200 });
    await expect(openSerialTransport({ kind: 'serial', baudRate: 115200 }, c.handlers, simulatedSerial([busy]))).rejects.toThrow(
      /already open/,
    );
    await busy.close();
    await expect(openSerialTransport({ kind: 'serial', baudRate: 115200 }, c.handlers, undefined)).rejects.toThrow(/Web Serial/);
  });

  test('a non-fatal read error takes a new reader and the conversation goes on', async () => {
    const port = makePort(1, 2);
    const c = collector();
    const transport = await openSerialTransport({ kind: 'serial', baudRate: 250000 }, c.handlers, simulatedSerial([port]));
    open.push(transport);
    await c.waitFor(/^start$/);
    transport.write(encoder.encode(frameLine(1, 'M105')));
    await c.waitFor(/^ok/);
    port.injectReadError('FramingError');
    await new Promise((resolve) => setTimeout(resolve, 20));
    port.injectReadError('BufferOverrunError');
    await new Promise((resolve) => setTimeout(resolve, 20));
    transport.write(encoder.encode(frameLine(2, 'M105')));
    await c.waitFor(/^ok/, 2);
    expect(c.seen.notices).toHaveLength(2);
    expect(c.seen.notices[0]).toMatch(/FramingError/);
    expect(c.seen.lost).toEqual([]);
  });

  test('an unplug mid-job is reported once as a lost connection, and later writes are ignored', async () => {
    const port = makePort(1, 2);
    const c = collector();
    const transport = await openSerialTransport({ kind: 'serial', baudRate: 250000 }, c.handlers, simulatedSerial([port]));
    open.push(transport);
    await c.waitFor(/^start$/);
    // A job in ping-pong: each ok sends the next line.
    let next = 1;
    const pump = setInterval(() => {
      const oks = c.lines().filter((l) => l.startsWith('ok')).length;
      while (next <= oks + 1 && next <= 1000) transport.write(encoder.encode(frameLine(next++, `G1 X${next % 100} F12000`)));
    }, 2);
    try {
      await c.waitFor(/^ok/, 20);
      port.unplug();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      clearInterval(pump);
    }
    expect(c.seen.lost).toEqual(['The printer was unplugged or its USB connection was lost.']);
    const executed = port.printer?.executionLog.length ?? 0;
    expect(executed).toBeGreaterThanOrEqual(20);
    expect(executed).toBeLessThan(1000);
    transport.write(encoder.encode(frameLine(next, 'M105')));
    await transport.close();
    expect(c.seen.lost).toHaveLength(1);
  });

  test('closing releases the port without reporting a loss, and it can be opened again', async () => {
    const port = makePort(1, 2);
    const c = collector();
    const transport = await openSerialTransport({ kind: 'serial', baudRate: 250000 }, c.handlers, simulatedSerial([port]));
    await c.waitFor(/^start$/);
    await transport.close();
    expect(port.readable).toBeNull();
    expect(c.seen.lost).toEqual([]);
    const again = collector();
    const reopened = await openSerialTransport({ kind: 'serial', baudRate: 250000 }, again.handlers, simulatedSerial([port]));
    open.push(reopened);
    // Opening resets the board: a fresh boot banner.
    await again.waitFor(/^start$/);
  });
});
