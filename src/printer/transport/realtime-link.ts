// The simulated printer on a real clock: the same byte-accurate wire as the tests, stepped by timers to
// the current time. Virtual time follows the clock; events that fell due while the thread was busy are
// still processed at their own (past) times, so the firmware's behaviour does not depend on timer jitter.

import type { SimulatedPrinter } from '../simulator/index.js';
import type { SerialEndpoint } from '../wire/serial-endpoint.js';
import { VirtualWire, type VirtualWireOptions } from '../wire/virtual-wire.js';
import type { TransportClock } from './transport.js';

/** The host end of the wire, where the transport's user writes and reads. */
class HostPort implements SerialEndpoint {
  private pending: Uint8Array[] = [];

  constructor(private readonly onData: (bytes: Uint8Array) => void) {}

  write(bytes: Uint8Array): void {
    this.pending.push(bytes);
  }

  receive(bytes: Uint8Array): void {
    this.onData(bytes);
  }

  tick(): void {}

  takeWrites(): Uint8Array[] {
    const writes = this.pending;
    this.pending = [];
    return writes;
  }

  nextWakeAt(): number | null {
    return null;
  }
}

export class RealtimeLink {
  readonly wire: VirtualWire;
  private readonly port: HostPort;
  private timer: unknown = null;
  private stepping = false;
  private stopped = false;

  constructor(
    readonly printer: SimulatedPrinter,
    onData: (bytes: Uint8Array) => void,
    private readonly clock: TransportClock,
    wireOptions: VirtualWireOptions,
  ) {
    this.port = new HostPort(onData);
    this.wire = new VirtualWire(this.port, printer, { ...wireOptions, startAt: clock.now() });
    this.step();
  }

  write(bytes: Uint8Array): void {
    if (this.stopped) return;
    if (this.stepping) {
      // Called from inside a delivery (the host answered at once): the running step sends the bytes at
      // the delivery's time.
      this.port.write(bytes);
      return;
    }
    // Bring the wire up to now first, so the bytes leave now and not at the time of the last event.
    this.step();
    this.port.write(bytes);
    this.step();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.wire.cut();
  }

  private step(): void {
    if (this.stopped) return;
    this.stepping = true;
    try {
      this.wire.runUntil(this.clock.now());
    } finally {
      this.stepping = false;
    }
    if (this.stopped) return;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    const next = this.wire.nextEventAt();
    if (next === null) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.step();
    }, Math.max(0, next - this.clock.now()));
  }
}
