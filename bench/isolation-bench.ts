// `npm run bench:isolation` (Chromium, production build of bench/isolation/): slicing while printing.
// A job streams from IndexedDB to the simulated printer in the app's printer worker at 115200 baud in
// fast flow-control mode; after a baseline, the app's slicer worker slices 3DBenchy (creality_ender3,
// settings from the app's resolver). Reports the sender's lines per second and longest gap between two
// lines, without and with the slice running, in the same run. Last line:
// {"bench":"isolation","results":[{"slicing":false,"linesPerSecond":…,"maxGapMs":…},{"slicing":true,…}]}
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { repositoryRoot } from '../wasm/node-engine.js';
import { bedCentreOf, buildVolumeFromSettings } from '../src/slicer/engine/build-volume.js';
import { applyPlacement, boundsOf, decodeBinaryStl, encodeBinaryStl } from '../src/slicer/engine/placed-mesh.js';
import { resolvedSettingsForTest } from '../src/slicer/engine/testing/resolved-settings.js';
import type { IsolationRun } from './isolation/bench-page.js';

const { findBrowser, BROWSER_FLAGS } = (await import('../scripts/find-browser.mjs' as string)) as {
  findBrowser(): Promise<string>;
  BROWSER_FLAGS: string[];
};

const machine = 'creality_ender3';
const modelPath = resolve(repositoryRoot, '..', 'shared', 'data', 'models', '3DBenchy.stl');
const port = Number(process.env.SLICEPORT_BENCH_PORT ?? 4186);
const baselineSeconds = Number(process.env.ISOLATION_BASELINE_SECONDS ?? 15);
const work = join(repositoryRoot, 'node_modules', '.cache', 'sliceport-bench-isolation');

if (!existsSync(modelPath)) {
  console.log(`SKIPPED: ${modelPath} is absent (the shared test data is not next to the repository).`);
  console.log(JSON.stringify({ bench: 'isolation', results: [], note: 'skipped: 3DBenchy.stl not found' }));
  process.exit(0);
}

const settings = await resolvedSettingsForTest(machine, {});
const volume = buildVolumeFromSettings(settings.global);
if (typeof volume === 'string') throw new Error(volume);
const fileBytes = readFileSync(modelPath);
const raw = decodeBinaryStl(fileBytes.buffer.slice(fileBytes.byteOffset, fileBytes.byteOffset + fileBytes.byteLength));
if (typeof raw === 'string') throw new Error(raw);
const rawBounds = boundsOf(raw)!;
const [cx, cy] = bedCentreOf(volume);
const placed = applyPlacement(raw, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0,
  cx - (rawBounds.min[0] + rawBounds.max[0]) / 2, cy - (rawBounds.min[1] + rawBounds.max[1]) / 2, -rawBounds.min[2], 1]);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const dist = join(work, 'dist');
const build = spawnSync('npx', ['vite', 'build', '--config', 'bench/isolation/vite.config.ts', '--outDir', dist], {
  cwd: repositoryRoot,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) throw new Error('the benchmark harness did not build');
writeFileSync(join(dist, 'bench-model.stl'), new Uint8Array(encodeBinaryStl(placed, '3DBenchy')));
writeFileSync(join(dist, 'bench-job.json'), JSON.stringify({ machine, settings }));

const server = spawn('npx', ['vite', 'preview', '--outDir', dist, '--port', String(port), '--strictPort', '--config', 'bench/isolation/vite.config.ts'], {
  cwd: repositoryRoot,
  stdio: ['ignore', 'ignore', 'inherit'],
  detached: true,
});
let result: IsolationRun;
let chromiumVersion = '';
try {
  await waitForServer(`http://localhost:${port}/`);
  const executablePath = await findBrowser();
  chromiumVersion = spawnSync(executablePath, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const browser = await chromium.launch({ executablePath, args: BROWSER_FLAGS.filter((flag) => flag !== '--headless'), headless: true });
  try {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`[page] ${message.text()}`);
    });
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => 'isolationBench' in window);
    const control = Number(process.env.ISOLATION_CONTROL_SECONDS ?? 0);
    result = await page.evaluate(([seconds, wait]) => window.isolationBench.run(seconds, wait), [baselineSeconds, control] as const);
  } finally {
    await browser.close();
  }
} finally {
  try {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

if (!result.ok) throw new Error(`isolation run failed: ${result.message}`);
if (result.phases.some((phase) => phase.lines === 0)) {
  throw new Error(
    `the job sent no numbered G1 lines in a phase (job ${result.jobState}, flow ${result.flowMode}; lines per phase: ${result.phases
      .map((phase) => `${phase.slicing ? 'slicing' : 'baseline'} ${phase.lines}`)
      .join(', ')}); first sent lines:\n${result.sample.join('\n')}`,
  );
}
console.log(`\nIsolation benchmark: a job streaming to the simulated printer (115200 baud, ${result.flowMode} flow control) while 3DBenchy slices`);
console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${chromiumVersion}`);
console.log(`slice took ${result.sliceSeconds.toFixed(1)} s; log lines missing from the event stream: ${result.droppedLogLines}\n`);
console.log('slicing  seconds   lines  lines/s  longest gap');
for (const phase of result.phases) {
  console.log(`${String(phase.slicing).padEnd(8)} ${phase.seconds.toFixed(1).padStart(7)} ${String(phase.lines).padStart(7)} ${phase.linesPerSecond.toFixed(1).padStart(8)}  ${phase.maxGapMs.toFixed(1)} ms`);
}
const [without, withSlice] = result.phases;
const loss = (1 - withSlice.linesPerSecond / without.linesPerSecond) * 100;
console.log(`\nthroughput change while slicing: ${(-loss).toFixed(1)} %   (target: loss ≤ 2 %, longest gap ≤ 50 ms)`);
console.log(
  JSON.stringify({
    bench: 'isolation',
    results: result.phases.map((phase) => ({
      slicing: phase.slicing,
      linesPerSecond: Number(phase.linesPerSecond.toFixed(1)),
      maxGapMs: Number(phase.maxGapMs.toFixed(1)),
    })),
  }),
);

async function waitForServer(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`the benchmark server did not start on ${url}`);
}
