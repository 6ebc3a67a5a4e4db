// `npm run bench:preview`: G-code analysis throughput, peak memory and time to the first full render,
// Sliceport's preview against the `gcode-preview` package, in headless Chromium, on a 10 MB and a
// 100 MB G-code file built from the real slicer output in ../shared/data/gcode/generated (skipped when
// that folder is absent). Prints a table, then one JSON line.
//
// Environment: SLICEPORT_BENCH_PORT (default 4188), SLICEPORT_BENCH_DIR (work folder, default
// $TMPDIR/sliceport-bench-preview: generated files and the benchmark page build), SLICEPORT_BROWSER,
// SLICEPORT_BENCH_TIMEOUT_S (per run, default 300), SLICEPORT_BENCH_REPEAT (runs per figure, each in
// a fresh browser; the median time and the highest memory are reported; default 3), SLICEPORT_BENCH_ONLY (run only files whose name
// contains it, e.g. 10MB).
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { BROWSER_FLAGS, findBrowser } from '../scripts/find-browser.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(repo, '../shared/data/gcode/generated');
const work = process.env.SLICEPORT_BENCH_DIR ?? join(tmpdir(), 'sliceport-bench-preview');
const port = Number(process.env.SLICEPORT_BENCH_PORT ?? 4188);
const timeoutMs = Number(process.env.SLICEPORT_BENCH_TIMEOUT_S ?? 300) * 1000;
const repeat = Math.max(1, Number(process.env.SLICEPORT_BENCH_REPEAT ?? 3));
const dist = join(work, 'dist');
const MB = 1e6;

/** The benchmark files: each is real slicer output concatenated (two prints, one after the other). */
const PLAN = [
  {
    name: 'benchy-10MB.gcode',
    parts: [
      'curaengine-4.13-native_3DBenchy_ender3_super_0.12mm_7MB.gcode',
      'curaengine-4.13-native_3DBenchy_ender3_standard_0.2mm.gcode',
    ],
  },
  {
    name: 'benchy-100MB.gcode',
    parts: Array(4).fill('curaengine-4.13-native_3DBenchy-200pct_ender3_super_0.12mm_25MB.gcode'),
  },
];

function finish(results, note) {
  if (note) console.log(note);
  console.log(JSON.stringify({ bench: 'preview', results }));
}

if (!existsSync(source)) {
  finish([], `Skipping the preview benchmark: ${source} is absent (the test data lives outside the repo).`);
  process.exit(0);
}
mkdirSync(work, { recursive: true });

async function makeFile({ name, parts }) {
  const target = join(work, name);
  const size = parts.reduce((sum, part) => sum + statSync(join(source, part)).size, 0);
  if (existsSync(target) && statSync(target).size === size) return { name, path: target, size };
  const out = createWriteStream(target);
  for (const part of parts) {
    await new Promise((done, fail) => {
      const input = createReadStream(join(source, part));
      input.on('error', fail);
      input.on('end', done);
      input.pipe(out, { end: false });
    });
  }
  await new Promise((done) => out.end(done));
  return { name, path: target, size };
}

function build() {
  const run = spawnSync('npx', ['vite', 'build', '--config', 'bench/preview/vite.config.ts', '--outDir', dist, '--emptyOutDir'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error('building the benchmark page failed');
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.gcode': 'text/plain' };

function serve(files) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let path;
    if (url.pathname.startsWith('/files/')) {
      const file = files.find((f) => `/files/${f.name}` === url.pathname);
      path = file?.path;
    } else {
      path = join(dist, url.pathname === '/' ? 'index.html' : url.pathname);
      if (!path.startsWith(dist)) path = undefined;
    }
    if (!path || !existsSync(path)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': statSync(path).size });
    createReadStream(path).pipe(response);
  });
  return new Promise((done) => server.listen(port, '127.0.0.1', () => done(server)));
}

/** A process and all its descendants, from /proc (a full scan: done now and then, not per sample). */
function processTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident memory (bytes) of the given processes. */
function rssOf(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
    } catch {
      // ended
    }
  }
  return total;
}

/** Samples the browser's memory every 50 ms (the process list is refreshed every second). */
class MemorySampler {
  constructor(rootPid) {
    this.rootPid = rootPid;
    this.pids = processTree(rootPid);
    this.baseline = rssOf(this.pids);
    this.peak = 0;
    this.ticks = 0;
    this.timer = setInterval(() => this.sample(), 50);
  }
  sample() {
    if (++this.ticks % 20 === 0) this.pids = processTree(this.rootPid);
    this.peak = Math.max(this.peak, rssOf(this.pids) - this.baseline);
  }
  stop() {
    clearInterval(this.timer);
    this.pids = processTree(this.rootPid);
    this.sample();
    return this.peak;
  }
}

async function measure(browserPath, file, tool) {
  const server = await chromium.launchServer({
    executablePath: browserPath,
    args: [...BROWSER_FLAGS, '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
  const pid = server.process().pid;
  const browser = await chromium.connect(server.wsEndpoint());
  let sampler;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof window.benchSliceport === 'function');
    sampler = new MemorySampler(pid);
    const crashed = new Promise((_, fail) => page.on('crash', () => fail(new Error('the tab crashed (out of memory?)'))));
    const timer = new Promise((_, fail) => setTimeout(() => fail(new Error(`no result within ${timeoutMs / 1000} s`)), timeoutMs));
    const fn = tool === 'sliceport' ? 'benchSliceport' : 'benchGcodePreview';
    const result = await Promise.race([
      page.evaluate(([name, url, title]) => window[name](url, title), [fn, `/files/${file.name}`, file.name]),
      crashed,
      timer,
    ]);
    const peak = sampler.stop();
    return {
      file: file.name,
      megabytes: +(file.size / MB).toFixed(1),
      tool,
      analysisMBps: +(file.size / MB / (result.analysisMs / 1000)).toFixed(1),
      firstRenderMs: Math.round(result.firstRenderMs),
      peakMemoryMB: Math.round(peak / MB),
      detail: result.detail,
    };
  } catch (error) {
    const peak = sampler?.stop() ?? 0;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { file: file.name, megabytes: +(file.size / MB).toFixed(1), tool, analysisMBps: null, firstRenderMs: null, peakMemoryMB: Math.round(peak / MB), reason };
  } finally {
    await browser.close().catch(() => undefined);
    await server.close().catch(() => undefined);
  }
}

const browserPath = await findBrowser();
const files = [];
const only = process.env.SLICEPORT_BENCH_ONLY; // e.g. "10MB" to run one file
for (const plan of PLAN.filter((p) => !only || p.name.includes(only))) {
  const missing = plan.parts.filter((part) => !existsSync(join(source, part)));
  if (missing.length) console.log(`Skipping ${plan.name}: missing ${missing.join(', ')}`);
  else files.push(await makeFile(plan));
}
build();
const server = await serve(files);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

/** Runs one measurement `repeat` times (a fresh browser each time): medians of times, highest memory. */
async function measureRepeated(file, tool) {
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    process.stderr.write(`${file.name} · ${tool} · run ${i + 1}/${repeat}…\n`);
    const run = await measure(browserPath, file, tool);
    runs.push(run);
    if (run.reason) break; // a tool that fails once (crash, timeout) is not retried
  }
  const good = runs.filter((r) => !r.reason);
  if (good.length < runs.length) return runs.find((r) => r.reason);
  return {
    ...good[0],
    analysisMBps: median(good.map((r) => r.analysisMBps)),
    firstRenderMs: median(good.map((r) => r.firstRenderMs)),
    peakMemoryMB: Math.max(...good.map((r) => r.peakMemoryMB)),
    detail: `${good[0].detail}; runs: ${good.map((r) => r.firstRenderMs).join(', ')} ms`,
  };
}

const results = [];
try {
  for (const file of files) {
    for (const tool of ['sliceport', 'gcode-preview']) results.push(await measureRepeated(file, tool));
  }
} finally {
  server.close();
}

const pad = (value, width) => String(value ?? '—').padStart(width);
console.log('');
console.log(`${'file'.padEnd(20)} ${'MB'.padStart(6)} ${'tool'.padEnd(14)} ${'analysis MB/s'.padStart(13)} ${'first render ms'.padStart(15)} ${'peak MB'.padStart(8)}  notes`);
for (const r of results) {
  console.log(
    `${r.file.padEnd(20)} ${pad(r.megabytes, 6)} ${r.tool.padEnd(14)} ${pad(r.analysisMBps, 13)} ${pad(r.firstRenderMs, 15)} ${pad(r.peakMemoryMB, 8)}  ${r.reason ? `FAILED: ${r.reason}` : r.detail}`,
  );
}
for (const file of files) {
  const ours = results.find((r) => r.file === file.name && r.tool === 'sliceport');
  const theirs = results.find((r) => r.file === file.name && r.tool === 'gcode-preview');
  if (ours?.firstRenderMs && theirs?.firstRenderMs) {
    console.log(`${file.name}: first render ${(theirs.firstRenderMs / ours.firstRenderMs).toFixed(1)}× sooner than gcode-preview`);
  } else if (ours?.firstRenderMs && theirs?.reason) {
    console.log(`${file.name}: gcode-preview gave no render (${theirs.reason}); Sliceport rendered in ${ours.firstRenderMs} ms`);
  }
}
console.log(`Peak memory: resident memory of all the browser's processes (renderer with its workers, GPU/SwiftShader, utility), highest sample every 50 ms, minus the same before opening the file.`);
finish(results.map(({ detail, reason, ...r }) => r));
