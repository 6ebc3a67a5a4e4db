// A fake `navigator.serial` for end-to-end tests, so the real Web Serial transport runs unchanged:
//
//   printer worker ── fake SerialPort streams ── BroadcastChannel ── page ── exposeFunction ── Node
//                                                                                 simulated firmware
//
// The fake is installed by the test only: in the page with `addInitScript` (the connect dialog's
// requestPort/getPorts) and in the printer worker with `worker.evaluate` (the transport's getPorts/open).
// Nothing in the product knows about it.

import type { Page, Worker } from '@playwright/test';
import type { SerialEndpoint } from '../../src/printer/wire/serial-endpoint.js';

export const fakePortInfo = { usbVendorId: 0x1a86, usbProductId: 0x7523 };
const channelName = 'sliceport-e2e-serial';

/** A board that never answers (wrong port, dead firmware). */
export function silentBoard(): SerialEndpoint {
  return { receive() {}, tick() {}, takeWrites: () => [], nextWakeAt: () => null };
}

/** What a host hears at the wrong baud rate: bytes, but never a readable line. */
export function wrongBaudBoard(): SerialEndpoint {
  let out: Uint8Array[] = [];
  let seed = 7;
  const noise = (n: number) => Uint8Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), 0x80 | (seed & 0x7f)));
  let lastNoiseAt = -Infinity;
  return {
    receive(bytes) {
      out.push(noise(Math.max(4, Math.floor(bytes.length / 2))));
    },
    tick(now) {
      // Boot chatter at the wrong speed, as a resetting board prints its banner.
      if (now - lastNoiseAt > 500) {
        lastNoiseAt = now;
        out.push(noise(12), Uint8Array.of(0x0a));
      }
    },
    takeWrites() {
      const w = out;
      out = [];
      return w;
    },
    nextWakeAt: () => null,
  };
}

/** Runs a simulated firmware against the real clock and carries its bytes to and from the page. */
export class SimulatedSerialPeer {
  private readonly outbox: number[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly t0 = performance.now();
  private unplugRequested = false;
  opens = 0;
  bytesIn = 0;

  constructor(private readonly makeFirmware: (now: number) => SerialEndpoint) {
    this.firmware = makeFirmware(0);
  }

  firmware: SerialEndpoint;

  now(): number {
    return performance.now() - this.t0;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), 2);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Opening the port resets the board (DTR), as on most 8-bit printers. */
  reopen(): void {
    this.opens++;
    if (this.opens > 1) this.firmware = this.makeFirmware(this.now());
    this.outbox.length = 0;
  }

  unplug(): void {
    this.unplugRequested = true;
  }

  private tick(): void {
    const now = this.now();
    this.firmware.tick(now);
    for (const chunk of this.firmware.takeWrites()) for (const b of chunk) this.outbox.push(b);
  }

  /** Called by the page: bytes from the host in, bytes from the printer out. */
  pump(hostBytes: number[]): { bytes: number[]; unplug: boolean } {
    if (hostBytes.length > 0) {
      this.bytesIn += hostBytes.length;
      this.firmware.receive(Uint8Array.from(hostBytes), this.now());
    }
    this.tick();
    const bytes = this.outbox.splice(0, this.outbox.length);
    const unplug = this.unplugRequested;
    this.unplugRequested = false;
    return { bytes, unplug };
  }
}

/** The page half: a fake serial API for the connect dialog and the bridge to Node. */
export async function installFakeSerialInPage(page: Page, peer: SimulatedSerialPeer, options: { requestPortError?: { name: string; message: string } } = {}): Promise<void> {
  await page.exposeFunction('__sliceportE2eSerialPump', (hostBytes: number[]) => peer.pump(hostBytes));
  await page.exposeFunction('__sliceportE2eSerialOpened', () => peer.reopen());
  await page.addInitScript(
    ({ info, channelName, requestPortError }) => {
      const w = window as unknown as {
        __sliceportE2eSerialPump(bytes: number[]): Promise<{ bytes: number[]; unplug: boolean }>;
        __sliceportE2eSerialOpened(): Promise<void>;
      };
      // The page may open the port itself (the emergency stop after the printer worker died): its
      // writes go to the same simulated board.
      class FakePort extends EventTarget {
        readable: ReadableStream<Uint8Array> | null = null;
        writable: WritableStream<Uint8Array> | null = null;
        getInfo() {
          return { ...info };
        }
        async open(options: { baudRate: number }) {
          if (this.writable) throw new DOMException('The port is already open.', 'InvalidStateError');
          if (!options || !options.baudRate) throw new TypeError('baudRate is required');
          this.readable = new ReadableStream<Uint8Array>();
          this.writable = new WritableStream<Uint8Array>({
            write: (chunk) => {
              pending.push(...Array.from(chunk));
            },
          });
          void w.__sliceportE2eSerialOpened();
        }
        async close() {
          this.readable = null;
          this.writable = null;
        }
      }
      const port = new FakePort();
      // The browser remembers a granted port across reloads; so does the fake, per test context.
      let granted = localStorage.getItem('sliceport-e2e-serial-granted') === '1';
      const serial = new (class extends EventTarget {
        async requestPort() {
          if (requestPortError) throw new DOMException(requestPortError.message, requestPortError.name);
          granted = true;
          localStorage.setItem('sliceport-e2e-serial-granted', '1');
          return port;
        }
        async getPorts() {
          return granted ? [port] : [];
        }
      })();
      Object.defineProperty(Navigator.prototype, 'serial', { configurable: true, get: () => serial });

      // Bridge: the worker's fake port talks on a BroadcastChannel; we relay to Node.
      const channel = new BroadcastChannel(channelName);
      let pending: number[] = [];
      channel.onmessage = (event: MessageEvent<{ type: string; bytes?: number[] }>) => {
        if (event.data.type === 'write' && event.data.bytes) pending.push(...event.data.bytes);
        if (event.data.type === 'open') void w.__sliceportE2eSerialOpened();
      };
      const pumpLoop = async () => {
        for (;;) {
          const out = pending;
          pending = [];
          try {
            const reply = await w.__sliceportE2eSerialPump(out);
            if (reply.bytes.length > 0) channel.postMessage({ type: 'read', bytes: reply.bytes });
            if (reply.unplug) {
              channel.postMessage({ type: 'unplug' });
              granted = false;
              serial.dispatchEvent(Object.assign(new Event('disconnect'), { port }));
            }
          } catch {
            // The page is closing.
          }
          await new Promise((r) => setTimeout(r, 3));
        }
      };
      void pumpLoop();
    },
    { info: fakePortInfo, channelName, requestPortError: options.requestPortError ?? null },
  );
}

/** The worker half: the transport's `navigator.serial` inside the printer worker. */
export async function installFakeSerialInWorker(worker: Worker, options: { openError?: { name: string; message: string } } = {}): Promise<void> {
  await worker.evaluate(
    ({ info, channelName, openError }) => {
      const channel = new BroadcastChannel(channelName);
      let lost = false;
      let readController: ReadableStreamDefaultController<Uint8Array> | undefined;
      class FakePort extends EventTarget {
        readable: ReadableStream<Uint8Array> | null = null;
        writable: WritableStream<Uint8Array> | null = null;
        onconnect: ((e: Event) => void) | null = null;
        ondisconnect: ((e: Event) => void) | null = null;
        getInfo() {
          return { ...info };
        }
        async open(options: { baudRate: number }) {
          if (lost) throw new DOMException('Failed to open serial port.', 'NetworkError');
          if (openError) throw new DOMException(openError.message, openError.name);
          if (this.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
          if (!options || !options.baudRate) throw new TypeError('baudRate is required');
          this.readable = new ReadableStream<Uint8Array>({
            start: (controller) => {
              readController = controller;
            },
          });
          this.writable = new WritableStream<Uint8Array>({
            write: (chunk) => {
              if (lost) throw new DOMException('The device has been lost.', 'NetworkError');
              channel.postMessage({ type: 'write', bytes: Array.from(chunk) });
            },
          });
          channel.postMessage({ type: 'open' });
        }
        async close() {
          try {
            readController?.close();
          } catch {
            // already errored or closed
          }
          readController = undefined;
          this.readable = null;
          this.writable = null;
        }
        async forget() {}
        async setSignals() {}
        async getSignals() {
          return { dataCarrierDetect: true, clearToSend: true, ringIndicator: false, dataSetReady: true };
        }
      }
      const port = new FakePort();
      const serial = new (class extends EventTarget {
        async getPorts() {
          return lost ? [] : [port];
        }
        async requestPort(): Promise<FakePort> {
          throw new DOMException('requestPort needs a page', 'SecurityError');
        }
      })();
      channel.onmessage = (event: MessageEvent<{ type: string; bytes?: number[] }>) => {
        if (event.data.type === 'read' && event.data.bytes && readController) {
          try {
            readController.enqueue(Uint8Array.from(event.data.bytes));
          } catch {
            // stream closed
          }
        }
        if (event.data.type === 'unplug') {
          lost = true;
          try {
            readController?.error(new DOMException('The device has been lost.', 'NetworkError'));
          } catch {
            // already closed
          }
          const disconnect = Object.assign(new Event('disconnect', { bubbles: true }), { port });
          port.dispatchEvent(disconnect);
          port.ondisconnect?.(disconnect);
          serial.dispatchEvent(Object.assign(new Event('disconnect'), { port, target: port }));
        }
      };
      Object.defineProperty(self.navigator, 'serial', { configurable: true, get: () => serial });
      const proto = Object.getPrototypeOf(self.navigator) as object;
      Object.defineProperty(proto, 'serial', { configurable: true, get: () => serial });
    },
    { info: fakePortInfo, channelName, openError: options.openError ?? null },
  );
}
