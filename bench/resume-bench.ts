// `npm run bench:resume`: what resuming costs a print that never needs it.
//  1. Starting a print reads the whole file twice before the first line goes out: the pre-flight check,
//     and the layer index (where each layer starts, and the state there). Both are timed on the same
//     files, interleaved, after a warm-up; medians with min–max.
//  2. The sender puts `M400` before every layer's first command so a checkpoint knows which layers were
//     really finished. The simulated printer (16-move planner, 4-command queue, 128-byte receive buffer)
//     prints the same file with and without these fences, on a virtual clock: the extra print time per
//     layer is what the fences cost.
// Prints a table, then one JSON line.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobPreflight } from '../src/printer/engine/job-preflight.js';
import { PrinterEngine } from '../src/printer/engine/printer-engine.js';
import { layerFences } from '../src/printer/resume/checkpoint-recorder.js';
import { LayerIndexBuilder } from '../src/printer/resume/layer-index.js';
import { layeredPrint } from '../src/printer/testing/layered-print.js';
import { SimulatedPrinter } from '../src/printer/simulator/index.js';
import { VirtualWire } from '../src/printer/wire/virtual-wire.js';

const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/gcode');
const CHUNK = 1 << 20;

function chunksOf(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) out.push(bytes.subarray(i, i + CHUNK));
  return out;
}

function stats(values: number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

// ── 1. Reading the file before a print ───────────────────────────────────────────────────────────
const files: Array<{ name: string; bytes: Uint8Array }> = [];
const generated = layeredPrint({ layers: 200, movesPerLayer: 500, markers: 'cura', zHop: 0.4 });
files.push({ name: 'generated 200 layers × 500 moves', bytes: new TextEncoder().encode(generated.text) });
for (const name of ['prusaslicer-2.6.1_benchy_marlin2.gcode', 'generated/curaengine-4.13-native_3DBenchy-200pct_ender3_super_0.12mm_25MB.gcode']) {
  const path = join(dataDir, name);
  if (existsSync(path)) {
    const b = readFileSync(path);
    files.push({ name, bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) });
  } else console.log(`(skipping ${name}: ${dataDir} is absent)`);
}

const RUNS = 5;
const readRows: Array<{ file: string; mb: number; layers: number; preflightMs: ReturnType<typeof stats>; indexMs: ReturnType<typeof stats> }> = [];
for (const f of files) {
  const chunks = chunksOf(f.bytes);
  const pre: number[] = [];
  const idx: number[] = [];
  let layers = 0;
  for (let r = -1; r < RUNS; r++) {
    // Interleaved, and the order flips every run so neither always goes first.
    const order = r % 2 === 0 ? ['pre', 'idx'] : ['idx', 'pre'];
    for (const which of order) {
      const t = performance.now();
      if (which === 'pre') {
        const p = new JobPreflight({ maxHotendTemp: 300, maxBedTemp: 120 });
        for (const c of chunks) p.feed(c);
        p.finish();
        if (r >= 0) pre.push(performance.now() - t);
      } else {
        const b = new LayerIndexBuilder();
        for (const c of chunks) b.feed(c);
        layers = b.finish().layers.length;
        if (r >= 0) idx.push(performance.now() - t);
      }
    }
  }
  readRows.push({ file: f.name, mb: f.bytes.length / 1e6, layers, preflightMs: stats(pre), indexMs: stats(idx) });
}

// ── 2. The layer fences on the simulated printer ─────────────────────────────────────────────────
interface FenceRun {
  printMs: number;
  stoppedMs: number;
}

function printOnce(text: string, fences: boolean, mode: 'safe' | 'fast', latencyMs: number): FenceRun {
  const bytes = new TextEncoder().encode(text);
  const engine = new PrinterEngine({ limits: { maxHotendTemp: 275, maxBedTemp: 120 }, flowControl: mode, receiveBufferBytes: 128, logTraffic: false });
  const printer = new SimulatedPrinter({ rxBufferSize: 128, bufsize: 4, plannerSlots: 16, bootMs: 500, homingMs: 100, thermal: { hotend: { timeConstantS: 0.2 }, bed: { timeConstantS: 0.2 }, residencyMs: 10 } });
  const wire = new VirtualWire(engine, printer, { baud: 115200, hostToPrinter: { latencyMs: 0 }, printerToHost: { latencyMs } });
  engine.connect(wire.now);
  wire.runUntil(() => (engine.takeEvents(), engine.connectionState === 'idle' || engine.connectionState === 'error'), { until: 60_000 });
  if (engine.connectionState !== 'idle') throw new Error('handshake failed');
  const b = new LayerIndexBuilder();
  b.feed(bytes);
  const index = b.finish();
  const started = engine.startJob({ jobId: 'b', gcodeId: 'b', fileName: 'b.gcode', totalBytes: bytes.length, ...(fences ? { stream: { fences: layerFences(index) } } : {}) }, wire.now);
  if (!started.ok) throw new Error(started.error.message);
  let offset = 0;
  const feed = () => {
    if (offset <= bytes.length && engine.wantsJobData()) {
      engine.markJobDataRequested();
      const end = Math.min(bytes.length, offset + 64 * 1024);
      engine.feedJob(bytes.subarray(offset, end), end === bytes.length, wire.now);
      offset = end === bytes.length ? bytes.length + 1 : end;
    }
  };
  feed();
  wire.runUntil(() => (feed(), engine.takeEvents(), engine.jobState === 'completed' || engine.jobState === 'failed'), { until: wire.now + 3_600_000 });
  if (engine.jobState !== 'completed') throw new Error(`job ${engine.jobState}`);
  const moves = printer.executionLog.filter((e) => e.via === 'queue' && /^G[01] /.test(e.command));
  const first = moves[0]!.at;
  const last = wire.now;
  return { printMs: last - first, stoppedMs: last - first - (printer.movingMs(last) - printer.movingMs(first)) };
}

const LAYERS = 40;
const fenceText = layeredPrint({ layers: LAYERS, movesPerLayer: 150, markers: 'cura', feed: 3600 }).text;
const fenceRows: Array<{ mode: string; latencyMs: number; withoutMs: number; withMs: number; perLayerMs: number }> = [];
for (const mode of ['fast', 'safe'] as const) {
  for (const latencyMs of [1, 16]) {
    const without = printOnce(fenceText, false, mode, latencyMs);
    const withF = printOnce(fenceText, true, mode, latencyMs);
    fenceRows.push({ mode, latencyMs, withoutMs: without.printMs, withMs: withF.printMs, perLayerMs: (withF.printMs - without.printMs) / LAYERS });
  }
}

console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}`);
console.log('\nReading the file before a print (ms, median [min–max] of 5 interleaved runs after a warm-up)');
console.log('file'.padEnd(92) + 'MB'.padStart(7) + 'layers'.padStart(8) + 'pre-flight'.padStart(24) + 'layer index'.padStart(24));
for (const r of readRows) {
  const f = (s: ReturnType<typeof stats>) => `${s.median.toFixed(0)} [${s.min.toFixed(0)}–${s.max.toFixed(0)}]`;
  console.log(r.file.padEnd(92) + r.mb.toFixed(1).padStart(7) + String(r.layers).padStart(8) + f(r.preflightMs).padStart(24) + f(r.indexMs).padStart(24));
}
console.log(`\nLayer fences (M400 at each layer start), ${LAYERS} layers × 150 moves, simulated printer, 115200 baud, virtual clock`);
console.log('mode'.padEnd(6) + 'reply latency'.padStart(15) + 'print without'.padStart(16) + 'print with'.padStart(14) + 'extra per layer'.padStart(18));
for (const r of fenceRows) {
  console.log(r.mode.padEnd(6) + `${r.latencyMs} ms`.padStart(15) + `${(r.withoutMs / 1000).toFixed(2)} s`.padStart(16) + `${(r.withMs / 1000).toFixed(2)} s`.padStart(14) + `${r.perLayerMs.toFixed(1)} ms`.padStart(18));
}
console.log(JSON.stringify({ bench: 'resume', read: readRows, fences: fenceRows }));
