// `npm run bench:storage`: Sliceport's G-code storage in headless Chromium (real IndexedDB): a 200 MiB
// file written as a stream (as the slicer saves it) and as a Blob of 50 MiB (as the file picker gives
// it), the time to the first chunk (what starting a print waits for), reading all chunks back (what a
// print does, far faster than any printer needs), deleting, and the browser's peak extra memory — which
// stays far below the file size, because no step holds the whole file. Prints a table, then one JSON line.
//
// Environment: SLICEPORT_BENCH_PORT (default 4181), SLICEPORT_BENCH_DIR (default
// $TMPDIR/sliceport-bench-storage), SLICEPORT_BROWSER, SLICEPORT_BENCH_MIB (default 200).
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { BROWSER_FLAGS, findBrowser } from '../scripts/find-browser.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = process.env.SLICEPORT_BENCH_DIR ?? join(tmpdir(), 'sliceport-bench-storage');
const port = Number(process.env.SLICEPORT_BENCH_PORT ?? 4181);
const totalMiB = Number(process.env.SLICEPORT_BENCH_MIB ?? 200);
const blobMiB = Math.min(50, totalMiB);
const dist = join(work, 'dist');
const MiB = 1024 * 1024;

const run = spawnSync('npx', ['vite', 'build', '--config', 'bench/storage/vite.config.ts', '--outDir', dist, '--emptyOutDir'], {
  cwd: repo,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (run.status !== 0) throw new Error('building the benchmark page failed');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript' };
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = join(dist, url.pathname === '/' ? 'index.html' : url.pathname);
  if (!path.startsWith(dist) || !existsSync(path)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': statSync(path).size });
  createReadStream(path).pipe(response);
});
await new Promise((done) => server.listen(port, '127.0.0.1', done));

/** Resident memory (bytes) of a process and all its descendants, from /proc (Linux only; 0 elsewhere). */
function treeRss(rootPid) {
  if (!existsSync('/proc')) return 0;
  const children = new Map();
  const rss = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rss.set(Number(entry), Number(fields[21]) * 4096);
      const ppid = Number(fields[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

const browserServer = await chromium.launchServer({
  executablePath: await findBrowser(),
  args: [...BROWSER_FLAGS, '--js-flags=--expose-gc'],
});
const browser = await chromium.connect(browserServer.wsEndpoint());
const result = {};
const peaks = {};
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => typeof window.storageBench === 'object');
  const pid = browserServer.process().pid;
  const step = async (name, arg) => {
    const baseline = treeRss(pid);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(pid) - baseline)), 50);
    result[name] = await page.evaluate(([n, a]) => window.storageBench[n](a), [name, arg]);
    clearInterval(sampler);
    peaks[name] = Math.round(Math.max(peak, treeRss(pid) - baseline) / 1e6);
  };
  await step('writeStream', totalMiB);
  await step('firstChunk');
  await step('readAll', totalMiB);
  await step('readAllCollected', totalMiB);
  await step('writeBlob', blobMiB);
  await step('remove');
} finally {
  await browser.close().catch(() => undefined);
  await browserServer.close().catch(() => undefined);
  server.close();
}

const mbps = (mib, ms) => +((mib * MiB) / 1e6 / (ms / 1000)).toFixed(1);
const intact = result.readAll.intact && result.readAllCollected.intact;
const rows = [
  ['write, streamed (slicer)', `${totalMiB} MiB`, Math.round(result.writeStream), mbps(totalMiB, result.writeStream), peaks.writeStream],
  ['first chunk (print start)', '1 MiB', +result.firstChunk.toFixed(1), '—', peaks.firstChunk],
  ['read all chunks (print)', `${totalMiB} MiB`, Math.round(result.readAll.ms), mbps(totalMiB, result.readAll.ms), peaks.readAll],
  ['read all, GC every 16 MiB', `${totalMiB} MiB`, Math.round(result.readAllCollected.ms), mbps(totalMiB, result.readAllCollected.ms), peaks.readAllCollected],
  ['write, Blob (file picker)', `${blobMiB} MiB`, Math.round(result.writeBlob), mbps(blobMiB, result.writeBlob), peaks.writeBlob],
  ['delete', `${totalMiB} MiB`, Math.round(result.remove), '—', peaks.remove],
];
console.log('');
console.log(`${'step'.padEnd(28)} ${'size'.padStart(9)} ${'ms'.padStart(8)} ${'MB/s'.padStart(8)} ${'peak +MB'.padStart(9)}`);
for (const [name, size, ms, rate, peak] of rows) {
  console.log(`${name.padEnd(28)} ${size.padStart(9)} ${String(ms).padStart(8)} ${String(rate).padStart(8)} ${String(peak).padStart(9)}`);
}
console.log('peak +MB: extra resident memory of the whole browser during the step (garbage included: V8 collects');
console.log('finished chunks lazily; the "GC every 16 MiB" row shows what a read really keeps alive).');
console.log(`Bytes read back intact: ${intact ? 'yes' : 'NO'}`);
console.log(
  JSON.stringify({
    bench: 'storage',
    fileMiB: totalMiB,
    blobMiB,
    writeStreamMBps: mbps(totalMiB, result.writeStream),
    firstChunkMs: +result.firstChunk.toFixed(1),
    readAllMBps: mbps(totalMiB, result.readAll.ms),
    readAllCollectedMBps: mbps(totalMiB, result.readAllCollected.ms),
    writeBlobMBps: mbps(blobMiB, result.writeBlob),
    deleteMs: Math.round(result.remove),
    peakExtraMemoryMB: peaks,
    intact,
  }),
);
if (!intact) process.exit(1);
