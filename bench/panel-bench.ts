// `npm run bench:panel`: the page-side work the Printer view does while a long print runs, at full
// capacity (terminal ring full, 30 minutes of temperatures for four heaters). Every figure must stay far
// below a 16.7 ms animation frame, whatever the print's length: that is what "never janky" rests on.
// Prints a table, then one JSON line with the figures.
import { cpus } from 'node:os';
import type { LogLine, PrinterEvent } from '../src/printer/link-api.js';
import { PrinterMirror } from '../src/printer/printer-client.js';
import { TemperatureHistory } from '../src/printer-panel/temperature-history.js';
import { TerminalLog } from '../src/printer-panel/terminal-log.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(runs: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(20, runs); i++) fn(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn(i);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const line = (i: number): LogLine =>
  i % 5 === 0
    ? { at: i, direction: 'received', text: ` T:${200 + (i % 7)}.0 /205.0 B:60.0 /60.0 @:80 B@:20` }
    : i % 2 === 0
      ? { at: i, direction: 'received', text: 'ok' }
      : { at: i, direction: 'sent', text: `N${i} G1 X${(i % 220) / 2} Y${(i % 180) / 3} E${i / 100}*${i % 256}` };

// A 30-hour print's terminal: a million lines through a 5000-line ring.
const log = new TerminalLog(5000);
const fillStart = performance.now();
for (let i = 0; i < 1_000_000; i += 200) log.push(Array.from({ length: 200 }, (_, k) => line(i + k)));
const fillMs = performance.now() - fillStart;
const pushBatchMs = time(200, (i) => log.push(Array.from({ length: 200 }, (_, k) => line(2_000_000 + i * 200 + k))));
const visibleMs = time(200, () => log.visible({ hideTemperatures: true, hidePlainOks: true }, 300));
const exportMs = time(20, () => log.export());

// Ten hours of temperature reports at 4 Hz for two hotends, bed and chamber.
const temps = new TemperatureHistory();
const heaters = ['T0', 'T1', 'B', 'C'] as const;
for (let t = 0; t < 10 * 3600_000; t += 250) temps.add(t, heaters.map((heater, h) => ({ heater, current: 50 + h * 40 + Math.sin(t / 9000), target: 60 + h * 40 })));
const samplesKept = Math.max(...heaters.map((h) => temps.sampleCount(h)));
const seriesMs = time(200, () => temps.series(10 * 3600_000, 600));

// The mirror folding one batch as the worker sends them: progress, temperatures and 100 log lines.
const mirror = new PrinterMirror();
const batch = (i: number): PrinterEvent[] => [
  { type: 'job', job: { jobId: 'j', gcodeId: 'g', fileName: 'benchy.gcode', state: 'printing', bytesSent: i * 1000, totalBytes: 25e6, linesSent: i * 30, startedAt: 0, elapsedMs: i * 250, filamentUsedMm: i } },
  { type: 'temperatures', at: i, readings: heaters.map((heater) => ({ heater, current: 200, target: 205 })) },
  { type: 'log', lines: Array.from({ length: 100 }, (_, k) => line(i * 100 + k)) },
];
const applyMs = time(500, (i) => mirror.apply(batch(i)));

const results = [
  { case: 'terminal: push 200 lines into a full ring', ms: pushBatchMs },
  { case: 'terminal: newest 300 lines, both filters on', ms: visibleMs },
  { case: 'terminal: export 5000 lines', ms: exportMs },
  { case: 'chart: 30 min × 4 heaters decimated to 600 columns', ms: seriesMs },
  { case: 'mirror: apply one event batch (100 log lines)', ms: applyMs },
];

console.log(`Printer view hot paths, median of repeated runs (Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'})`);
console.log('');
console.log('| case | median ms | share of a 16.7 ms frame |');
console.log('|---|---:|---:|');
for (const r of results) console.log(`| ${r.case} | ${r.ms.toFixed(3)} | ${((r.ms / 16.7) * 100).toFixed(1)} % |`);
console.log('');
console.log(`Bounded memory: terminal kept ${log.size} of ${log.size + log.dropped} lines (1M pushed in ${fillMs.toFixed(0)} ms); chart kept ${samplesKept} samples per heater after 10 h at 4 Hz.`);
console.log(
  JSON.stringify({
    bench: 'panel',
    results: results.map((r) => ({ case: r.case, medianMs: Number(r.ms.toFixed(4)) })),
    terminalLinesKept: log.size,
    chartSamplesPerHeater: samplesKept,
  }),
);
