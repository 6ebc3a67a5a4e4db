// Test-only helpers to drive the engine with hand-written firmware replies.

import type { PrinterEvent } from '../link-api.js';
import { PrinterEngine, type EngineOptions } from './printer-engine.js';

export const LIMITS = { maxHotendTemp: 260, maxBedTemp: 110 };

export class EngineProbe {
  readonly engine: PrinterEngine;
  now = 0;
  readonly events: PrinterEvent[] = [];

  /** Bytes handed to the "transport" and not yet looked at by the test. */
  private handedOver: Uint8Array[] = [];

  constructor(options: Partial<EngineOptions> = {}) {
    this.engine = new PrinterEngine({ limits: LIMITS, ...options });
  }

  /** Lines the engine wrote since the last call. */
  written(): string[] {
    this.handOver();
    const out: string[] = [];
    const chunks = this.handedOver;
    this.handedOver = [];
    for (const chunk of chunks) {
      let s = '';
      for (const b of chunk) s += String.fromCharCode(b);
      out.push(...s.split('\n').filter((l) => l.length > 0));
    }
    return out;
  }

  feed(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    this.engine.receive(bytes, this.now);
    this.collect();
  }

  /** Advances virtual time, waking the engine whenever it asked to be woken. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const wake = this.engine.nextWakeAt();
      if (wake === null || wake > end) break;
      this.now = Math.max(this.now, wake);
      this.engine.tick(this.now);
      this.collect();
    }
    this.now = end;
    this.engine.tick(this.now);
    this.collect();
  }

  collect(): void {
    this.events.push(...this.engine.takeEvents());
    this.handOver();
  }

  /** Like a real driver, writes go to the transport after every call into the engine. */
  private handOver(): void {
    this.handedOver.push(...this.engine.takeWrites());
  }

  eventsOf<T extends PrinterEvent['type']>(type: T): Extract<PrinterEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<PrinterEvent, { type: T }> => e.type === type);
  }

  /** Boot banner, M110, M115 with the given capabilities; leaves the engine ready. */
  handshake(caps: Record<string, 0 | 1> = {}, name = 'Marlin 2.1.2.1'): void {
    this.engine.connect(this.now);
    this.feed('start\necho:Marlin 2.1.2.1\n');
    const m110 = this.written();
    if (m110[0] !== 'N0 M110 N0*125') throw new Error(`expected M110, got ${m110.join('|')}`);
    this.advance(5);
    this.feed('ok\n');
    const m115 = this.written();
    if (!/^N1 M115\*\d+$/.test(m115[0] ?? '')) throw new Error(`expected M115, got ${m115.join('|')}`);
    let reply = `FIRMWARE_NAME:${name} (Github) SOURCE_CODE_URL:${/marlin/i.test(name) ? 'github.com/MarlinFirmware/Marlin' : 'example.org'} PROTOCOL_VERSION:1.0 MACHINE_TYPE:Test EXTRUDER_COUNT:1\n`;
    for (const [k, v] of Object.entries(caps)) reply += `Cap:${k}:${v}\n`;
    this.advance(5);
    this.feed(reply + 'ok\n');
  }

  /** Acknowledges every line written so far with plain `ok`s, repeatedly, until nothing new is written. */
  ackAll(max = 1000): string[] {
    const all: string[] = [];
    for (let i = 0; i < max; i++) {
      const w = this.written();
      if (w.length === 0) break;
      all.push(...w);
      this.feed(w.map(() => 'ok\n').join(''));
    }
    return all;
  }
}

/** The command part of a framed line: `N12 G1 X1*34` → `G1 X1`. */
export function commandOf(framed: string): string {
  return framed.replace(/^N-?\d+\s*/, '').replace(/\*\d+$/, '');
}

export function lineNumberOf(framed: string): number {
  return Number(/^N(-?\d+)/.exec(framed)?.[1] ?? NaN);
}

export function bytesOf(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
}
