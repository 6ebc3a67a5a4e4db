// Model import speed: reading and checking each model in ../shared/data/models (or, without it, a
// generated sphere in every format), in Node on one core. Median of several runs per file.
// Last line: {"bench":"models","results":[{"file","format","megabytes","triangles","importMs","MBps","checksMs"}]}
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { asciiStlText, binaryStlBytes, cubeThreeMfBytes } from '../src/models/fixtures/model-fixtures.js';
import { importModel } from '../src/models/import-model.js';
import { inspectMesh } from '../src/models/mesh-checks.js';

interface Row {
  file: string;
  format: string | null;
  megabytes: number;
  triangles: number | null;
  importMs: number | null;
  MBps: number | null;
  checksMs: number | null;
  error?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A UV sphere of about `triangles` triangles, radius 40 mm. */
function sphere(triangles: number): Float32Array {
  const rings = Math.max(4, Math.round(Math.sqrt(triangles / 2)));
  const segments = rings;
  const point = (ring: number, segment: number) => {
    const theta = (ring / rings) * Math.PI;
    const phi = (segment / segments) * Math.PI * 2;
    return [40 * Math.sin(theta) * Math.cos(phi), 40 * Math.sin(theta) * Math.sin(phi), 40 + 40 * Math.cos(theta)];
  };
  const out: number[] = [];
  for (let r = 0; r < rings; r++) {
    for (let s = 0; s < segments; s++) {
      const a = point(r, s);
      const b = point(r + 1, s);
      const c = point(r + 1, s + 1);
      const d = point(r, s + 1);
      out.push(...a, ...b, ...c, ...a, ...c, ...d);
    }
  }
  return Float32Array.from(out);
}

const dataDir = resolve(process.cwd(), '../shared/data/models');
const inputs: { name: string; bytes: Uint8Array }[] = [];
if (existsSync(dataDir)) {
  for (const name of readdirSync(dataDir).sort()) {
    if (/\.(stl|obj|3mf)$/i.test(name)) inputs.push({ name, bytes: new Uint8Array(readFileSync(resolve(dataDir, name))) });
  }
} else {
  console.log(`(${dataDir} is absent: timing generated models instead)`);
  const ball = sphere(200_000);
  inputs.push({ name: 'generated sphere binary.stl', bytes: binaryStlBytes(ball) });
  inputs.push({ name: 'generated sphere ascii.stl', bytes: new TextEncoder().encode(asciiStlText(ball)) });
  inputs.push({ name: 'generated cube.3mf', bytes: cubeThreeMfBytes() });
}

const rows: Row[] = [];
for (const { name, bytes } of inputs) {
  const megabytes = bytes.byteLength / 1024 / 1024;
  const runs = bytes.byteLength > 2_000_000 ? 3 : 7;
  const times: number[] = [];
  let outcome = importModel(bytes, name);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    outcome = importModel(bytes, name);
    times.push(performance.now() - start);
  }
  if (!outcome.ok) {
    rows.push({ file: name, format: null, megabytes, triangles: null, importMs: null, MBps: null, checksMs: null, error: outcome.error.message });
    continue;
  }
  const checkTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    inspectMesh(outcome.model.parts.map((part) => part.positions));
    checkTimes.push(performance.now() - start);
  }
  const importMs = median(times);
  rows.push({
    file: name,
    format: outcome.model.format,
    megabytes: Math.round(megabytes * 1000) / 1000,
    triangles: outcome.model.triangleCount,
    importMs: Math.round(importMs * 10) / 10,
    MBps: Math.round((megabytes / (importMs / 1000)) * 10) / 10,
    checksMs: Math.round(median(checkTimes) * 10) / 10,
  });
}

const pad = (value: unknown, width: number) => String(value ?? '—').padStart(width);
console.log(`${'file'.padEnd(46)}${pad('MB', 8)}${pad('triangles', 11)}${pad('import ms', 11)}${pad('MB/s', 8)}${pad('checks ms', 11)}`);
for (const row of rows) {
  console.log(
    `${row.file.padEnd(46)}${pad(row.megabytes.toFixed(2), 8)}${pad(row.triangles, 11)}${pad(row.importMs, 11)}${pad(row.MBps, 8)}${pad(row.checksMs, 11)}${row.error ? `  refused: ${row.error}` : ''}`,
  );
}
console.log(JSON.stringify({ bench: 'models', results: rows }));
