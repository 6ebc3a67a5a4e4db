// `npm run bench:sender`: how fast the protocol engine feeds a Marlin printer, on the simulated firmware
// with byte-accurate timing. 115200 and 250000 baud; USB reply latency 1 ms (CH340, native USB) and 16 ms
// (FTDI's default latency timer); 128-byte receive buffer, BUFSIZE 4, 16-move planner; safe and fast modes.
//
// Two streams of short G1 segments along circles (a dense curve, 0.1 mm chords, Cura-style numbers):
// - throughput: moves shorter than the wire can deliver (150 mm/s), so the link is the only limit; gives
//   lines per second and the fraction of the wire limit (baud / 10 / average framed bytes per line);
// - curve: the same geometry at a speed needing half the wire limit, a curve the wire can carry; gives
//   planner underruns per 1000 lines. Fast mode must have none whenever its measured throughput covers
//   the demand ("the link can carry the moves").
// Prints a table, then one JSON line with the figures.

import { cpus } from 'node:os';
import { PrinterEngine } from '../src/printer/engine/printer-engine.js';
import { SimulatedPrinter } from '../src/printer/simulator/index.js';
import { frameLine } from '../src/printer/wire/line-framing.js';
import { VirtualWire } from '../src/printer/wire/virtual-wire.js';

type Mode = 'safe' | 'fast';

interface RunResult {
  lines: number;
  /** Bytes the printer received per line while the segments streamed (framing included). */
  bytesPerLine: number;
  seconds: number;
  linesPerSecond: number;
  underruns: number;
  resends: number;
  rxOverflowBytes: number;
  flowMode: string;
  wallMs: number;
}

const SEGMENTS = Number(process.env.SENDER_BENCH_LINES ?? 4000);
const SEGMENT_MM = 0.1;
const RADIUS_MM = 20;

/** A dense curve: chords of 0.1 mm around circles, with relative extrusion, as a slicer writes it. */
function curveGcode(segments: number, feedMmMin: number): { text: string; moves: string[] } {
  const moves: string[] = [];
  const step = SEGMENT_MM / RADIUS_MM;
  let e = 0;
  for (let i = 1; i <= segments; i++) {
    const angle = i * step;
    const x = 110 + RADIUS_MM * Math.cos(angle);
    const y = 110 + RADIUS_MM * Math.sin(angle);
    e += 0.00333;
    moves.push(`G1 X${x.toFixed(3)} Y${y.toFixed(3)} E${e.toFixed(5)}`);
  }
  // Travel to the start of the curve and let it finish first: a 170 mm travel in the planner would stall
  // the first segments behind it and blur the measurement.
  const header = ['G90', 'M82', 'G92 E0', `G0 X${110 + RADIUS_MM} Y110 F9000`, 'M400', `G1 F${Math.round(feedMmMin)}`];
  return { text: `${[...header, ...moves].join('\n')}\n`, moves };
}

/** Average bytes per job line on the wire: `N<n> <command>*<checksum>\n`. */
function averageFramedBytes(moves: string[]): number {
  let total = 0;
  moves.forEach((move, i) => {
    total += frameLine(i + 10, move).length;
  });
  return total / moves.length;
}

function run(baud: number, latencyMs: number, mode: Mode, gcode: string, moveCount: number): RunResult {
  const wallStart = performance.now();
  const engine = new PrinterEngine({
    limits: { maxHotendTemp: 275, maxBedTemp: 120 },
    flowControl: mode,
    receiveBufferBytes: 128,
    logTraffic: false,
  });
  const printer = new SimulatedPrinter({ rxBufferSize: 128, bufsize: 4, plannerSlots: 16, bootMs: 500 });
  const deliveries: Array<{ at: number; total: number }> = [];
  let delivered = 0;
  const wire = new VirtualWire(engine, printer, {
    baud,
    hostToPrinter: { latencyMs: 0 },
    printerToHost: { latencyMs },
    onDeliver: (to, bytes, at) => {
      if (to !== 'printer') return;
      delivered += bytes.length;
      deliveries.push({ at, total: delivered });
    },
  });
  engine.connect(wire.now);
  const connected = wire.runUntil(
    () => {
      engine.takeEvents();
      return engine.connectionState === 'idle' || engine.connectionState === 'error';
    },
    { until: 60_000 },
  );
  if (engine.connectionState !== 'idle') {
    throw new Error(`handshake failed at ${baud} baud, ${latencyMs} ms (${connected.reason}, ${engine.connectionState})`);
  }
  const bytes = new TextEncoder().encode(gcode);
  const started = engine.startJob(
    { jobId: 'bench', gcodeId: 'bench', fileName: 'curve.gcode', totalBytes: bytes.length },
    wire.now,
  );
  if (!started.ok) throw new Error(started.error.message);
  let offset = 0;
  const chunk = 64 * 1024;
  const feed = () => {
    if (offset <= bytes.length && engine.wantsJobData()) {
      engine.markJobDataRequested();
      const end = Math.min(bytes.length, offset + chunk);
      engine.feedJob(bytes.subarray(offset, end), end === bytes.length, wire.now);
      offset = end === bytes.length ? bytes.length + 1 : end;
    }
  };
  feed();
  const finished = wire.runUntil(
    () => {
      feed();
      engine.takeEvents();
      const state = engine.jobState;
      return state === 'completed' || state === 'failed' || state === 'cancelled';
    },
    { until: wire.now + 3_600_000 },
  );
  if (engine.jobState !== 'completed') {
    throw new Error(`job did not complete at ${baud} baud, ${latencyMs} ms, ${mode} (${finished.reason}, ${engine.jobState})`);
  }
  const executed = printer.executionLog.filter((entry) => entry.via === 'queue' && entry.command.startsWith('G1 X'));
  if (executed.length !== moveCount) {
    throw new Error(`the printer executed ${executed.length} of ${moveCount} moves (${baud} baud, ${latencyMs} ms, ${mode})`);
  }
  const first = executed[0].at;
  const last = executed[executed.length - 1].at;
  const seconds = (last - first) / 1000;
  const underruns = printer.underruns.filter((u) => u.at >= first && u.at <= last).length;
  const deliveredBy = (time: number): number => {
    let total = 0;
    for (const d of deliveries) {
      if (d.at > time) break;
      total = d.total;
    }
    return total;
  };
  return {
    lines: executed.length,
    bytesPerLine: (deliveredBy(last) - deliveredBy(first)) / (executed.length - 1),
    seconds,
    linesPerSecond: (executed.length - 1) / seconds,
    underruns,
    resends: printer.counters.resendsRequested,
    rxOverflowBytes: printer.counters.rxOverflowBytes,
    flowMode: engine.currentFlowMode,
    wallMs: performance.now() - wallStart,
  };
}

interface Row {
  bytesPerLine: number;
  baud: number;
  latencyMs: number;
  mode: Mode;
  linesPerSecond: number;
  wireFraction: number;
  underrunsPer1000: number;
  curveLinesPerSecond: number;
  linkCarriesCurve: boolean;
  resends: number;
  rxOverflowBytes: number;
  wallMs: number;
}

const rows: Row[] = [];
const throughputGcode = curveGcode(SEGMENTS, 9000);
const bytesPerLine = averageFramedBytes(throughputGcode.moves);

for (const baud of [115200, 250000]) {
  const wireLimit = baud / 10 / bytesPerLine;
  // Half the wire limit: 0.1 mm chords at this many mm/min.
  const curveLinesPerSecond = wireLimit / 2;
  const curveGcodeText = curveGcode(SEGMENTS, curveLinesPerSecond * SEGMENT_MM * 60);
  for (const latencyMs of [1, 16]) {
    for (const mode of ['safe', 'fast'] as const) {
      const throughput = run(baud, latencyMs, mode, throughputGcode.text, SEGMENTS);
      const curve = run(baud, latencyMs, mode, curveGcodeText.text, SEGMENTS);
      if (throughput.flowMode !== mode) throw new Error(`asked for ${mode} mode, the engine used ${throughput.flowMode}`);
      const measuredWireLimit = baud / 10 / throughput.bytesPerLine;
      rows.push({
        bytesPerLine: throughput.bytesPerLine,
        baud,
        latencyMs,
        mode,
        linesPerSecond: throughput.linesPerSecond,
        wireFraction: throughput.linesPerSecond / measuredWireLimit,
        underrunsPer1000: (curve.underruns / curve.lines) * 1000,
        curveLinesPerSecond,
        linkCarriesCurve: throughput.linesPerSecond >= curveLinesPerSecond,
        resends: throughput.resends + curve.resends,
        rxOverflowBytes: throughput.rxOverflowBytes + curve.rxOverflowBytes,
        wallMs: throughput.wallMs + curve.wallMs,
      });
    }
  }
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
console.log(
  `Sender benchmark: ${SEGMENTS} G1 segments per run, about ${bytesPerLine.toFixed(1)} framed bytes per line ` +
    '(the wire limit of each row uses the bytes the printer actually received per line during the run)',
);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log('');
console.log('baud    latency  mode  lines/s  wire limit  of wire  curve demand  underruns/1000  resends  rx lost  wall ms');
for (const row of rows) {
  const wireLimit = row.baud / 10 / row.bytesPerLine;
  console.log(
    [
      String(row.baud).padEnd(7),
      `${row.latencyMs} ms`.padStart(7),
      row.mode.padStart(5),
      row.linesPerSecond.toFixed(0).padStart(8),
      wireLimit.toFixed(0).padStart(11),
      `${(row.wireFraction * 100).toFixed(1)}%`.padStart(8),
      `${row.curveLinesPerSecond.toFixed(0)}/s${row.linkCarriesCurve ? '' : '*'}`.padStart(13),
      row.underrunsPer1000.toFixed(1).padStart(15),
      String(row.resends).padStart(8),
      String(row.rxOverflowBytes).padStart(8),
      row.wallMs.toFixed(0).padStart(8),
    ].join(' '),
  );
}
console.log('* the link cannot carry the curve in this mode (its measured throughput is below the demand).');

const checks: string[] = [];
for (const row of rows) {
  const name = `${row.baud} baud, ${row.latencyMs} ms, ${row.mode}`;
  if (row.mode === 'fast' && row.latencyMs === 1) {
    checks.push(`${row.wireFraction >= 0.9 ? 'PASS' : 'FAIL'} fast at 1 ms ≥ 90% of the wire limit (${name}: ${(row.wireFraction * 100).toFixed(1)}%)`);
  }
  if (row.mode === 'fast' && row.latencyMs === 16) {
    const safe = rows.find((r) => r.baud === row.baud && r.latencyMs === 16 && r.mode === 'safe');
    const ratio = safe ? row.linesPerSecond / safe.linesPerSecond : 0;
    checks.push(`${ratio >= 3 ? 'PASS' : 'FAIL'} fast at 16 ms ≥ 3× safe (${name}: ${ratio.toFixed(1)}×)`);
  }
  if (row.mode === 'fast' && row.linkCarriesCurve) {
    checks.push(`${row.underrunsPer1000 === 0 ? 'PASS' : 'FAIL'} no underruns in fast mode when the link carries the curve (${name}: ${row.underrunsPer1000.toFixed(1)}/1000)`);
  }
  if (row.rxOverflowBytes > 0) checks.push(`FAIL receive buffer overflowed (${name}: ${row.rxOverflowBytes} bytes lost)`);
}
console.log('');
for (const check of checks) console.log(check);

console.log(
  JSON.stringify({
    bench: 'sender',
    results: rows.map((row) => ({
      baud: row.baud,
      latencyMs: row.latencyMs,
      mode: row.mode,
      linesPerSecond: round(row.linesPerSecond, 1),
      wireFraction: round(row.wireFraction, 3),
      underrunsPer1000: round(row.underrunsPer1000, 2),
      curveLinesPerSecond: round(row.curveLinesPerSecond, 1),
      linkCarriesCurve: row.linkCarriesCurve,
    })),
  }),
);
