// Test-only: the engine and the simulated printer joined by the virtual-clock wire, with a job fed in
// chunks as the engine asks for them.

import type { PrinterEvent } from '../link-api.js';
import { SimulatedPrinter, type SimulatorOptions } from '../simulator/index.js';
import { VirtualWire, type VirtualWireOptions } from '../wire/index.js';
import { PrinterEngine, type EngineOptions } from './printer-engine.js';

export interface Rig {
  engine: PrinterEngine;
  printer: SimulatedPrinter;
  wire: VirtualWire;
  events: PrinterEvent[];
  /** Runs until `done()` or the time limit; feeds the job from `job` when the engine asks. */
  run(done: () => boolean, limitMs: number): void;
  connect(): void;
  startJob(bytes: Uint8Array, chunkSize?: number): void;
}

export function makeRig(engineOptions: Partial<EngineOptions>, simulator: SimulatorOptions, wire: VirtualWireOptions = {}): Rig {
  const engine = new PrinterEngine({ limits: { maxHotendTemp: 275, maxBedTemp: 120 }, logTraffic: false, ...engineOptions });
  const printer = new SimulatedPrinter(simulator);
  const vw = new VirtualWire(engine, printer, wire);
  const events: PrinterEvent[] = [];
  let job: { bytes: Uint8Array; offset: number; chunk: number } | null = null;
  const feedIfAsked = (): void => {
    if (job && engine.wantsJobData()) {
      engine.markJobDataRequested();
      const end = Math.min(job.bytes.length, job.offset + job.chunk);
      engine.feedJob(job.bytes.subarray(job.offset, end), end === job.bytes.length, vw.now);
      job.offset = end;
    }
  };
  const rig: Rig = {
    engine,
    printer,
    wire: vw,
    events,
    run(done, limitMs) {
      const until = vw.now + limitMs;
      vw.runUntil(
        () => {
          feedIfAsked();
          const e = engine.takeEvents();
          if (e.length) events.push(...e);
          return done();
        },
        { until },
      );
    },
    connect() {
      engine.connect(vw.now);
      rig.run(() => engine.connectionState === 'idle' || engine.connectionState === 'error', 60_000);
      if (engine.connectionState !== 'idle') throw new Error(`handshake failed: ${engine.connectionState}`);
    },
    startJob(bytes, chunkSize = 16_384) {
      job = { bytes, offset: 0, chunk: chunkSize };
      const r = engine.startJob({ jobId: 'job', gcodeId: 'gcode', fileName: 'test.gcode', totalBytes: bytes.length }, vw.now);
      if (!r.ok) throw new Error(r.error.message);
      feedIfAsked();
    },
  };
  return rig;
}
