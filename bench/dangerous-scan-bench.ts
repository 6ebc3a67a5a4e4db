// The page's scan for dangerous commands before a print starts (it runs on the main thread, so its cost
// is what a click on "Start print" waits for), next to the printer worker's own preflight pass over the
// same bytes for scale. Real G-code files from ../shared/data/gcode when present, otherwise a generated
// 20 MB print. 1 MiB chunks, as the library stores them. Interleaved runs after one warm-up of each;
// median and spread (min–max) in ms.
// Last line: {"bench":"dangerous-scan","results":[{"file","megabytes","lines","scanMs","scanSpreadMs","scanMBps","preflightMs","preflightSpreadMs","found"}]}
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { findDangerousLinesInChunks } from '../src/printer/dangerous-commands.js';
import { JobPreflight } from '../src/printer/engine/job-preflight.js';

const CHUNK = 1 << 20;
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function* chunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

function generatedPrint(targetBytes: number): Uint8Array {
  const lines = [';FLAVOR:Marlin', ';LAYER_COUNT:400', 'M140 S60', 'M104 S200', 'G28'];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const line = i % 2000 === 0 ? `;LAYER:${i / 2000}` : `G1 X${(100 + Math.sin(i) * 50).toFixed(3)} Y${(100 + Math.cos(i) * 50).toFixed(3)} E${(i * 0.03).toFixed(5)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return new TextEncoder().encode(lines.join('\n'));
}

const dataDir = resolve(process.cwd(), '../shared/data/gcode');
const inputs: { name: string; bytes: Uint8Array }[] = [];
if (existsSync(dataDir)) {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = resolve(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.gcode$/i.test(entry.name) && !/laser|not-fdm/i.test(entry.name)) found.push(path);
    }
  };
  walk(dataDir);
  // The three biggest: the files where the wait could be felt.
  const sized = found.map((path) => ({ path, bytes: new Uint8Array(readFileSync(path)) })).sort((a, b) => b.bytes.length - a.bytes.length);
  for (const { path, bytes } of sized.slice(0, 3)) inputs.push({ name: path.slice(dataDir.length + 1), bytes });
} else {
  console.log(`(${dataDir} is absent: timing a generated 20 MB print instead)`);
  inputs.push({ name: 'generated 20 MB print', bytes: generatedPrint(20 * 1024 * 1024) });
}

interface Row {
  file: string;
  megabytes: number;
  lines: number;
  scanMs: number;
  scanSpreadMs: [number, number];
  scanMBps: number;
  preflightMs: number;
  preflightSpreadMs: [number, number];
  found: number;
}

const rows: Row[] = [];
for (const { name, bytes } of inputs) {
  const scanTimes: number[] = [];
  const preflightTimes: number[] = [];
  let found = 0;
  let lines = 0;
  for (let run = -1; run < RUNS; run++) {
    let start = performance.now();
    found = (await findDangerousLinesInChunks(chunks(bytes))).length;
    const scan = performance.now() - start;
    start = performance.now();
    const preflight = new JobPreflight({ maxHotendTemp: 300, maxBedTemp: 120 });
    for await (const chunk of chunks(bytes)) preflight.feed(chunk);
    lines = preflight.finish().totalLines;
    const pre = performance.now() - start;
    if (run >= 0) {
      scanTimes.push(scan);
      preflightTimes.push(pre);
    }
  }
  const megabytes = bytes.length / 1024 / 1024;
  const scanMs = median(scanTimes);
  rows.push({
    file: name,
    megabytes: Number(megabytes.toFixed(1)),
    lines,
    scanMs: Math.round(scanMs),
    scanSpreadMs: [Math.round(Math.min(...scanTimes)), Math.round(Math.max(...scanTimes))],
    scanMBps: Math.round(megabytes / (scanMs / 1000)),
    preflightMs: Math.round(median(preflightTimes)),
    preflightSpreadMs: [Math.round(Math.min(...preflightTimes)), Math.round(Math.max(...preflightTimes))],
    found,
  });
}

console.log(`Dangerous-command scan before a print (page side) vs the worker's preflight pass, ${RUNS} interleaved runs, median (min–max)`);
console.log('file'.padEnd(72), 'MB'.padStart(6), 'lines'.padStart(9), 'scan ms'.padStart(16), 'MB/s'.padStart(6), 'preflight ms'.padStart(18), 'found'.padStart(6));
for (const r of rows) {
  console.log(
    r.file.slice(0, 72).padEnd(72),
    r.megabytes.toFixed(1).padStart(6),
    String(r.lines).padStart(9),
    `${r.scanMs} (${r.scanSpreadMs[0]}–${r.scanSpreadMs[1]})`.padStart(16),
    String(r.scanMBps).padStart(6),
    `${r.preflightMs} (${r.preflightSpreadMs[0]}–${r.preflightSpreadMs[1]})`.padStart(18),
    String(r.found).padStart(6),
  );
}
console.log(JSON.stringify({ bench: 'dangerous-scan', results: rows }));
