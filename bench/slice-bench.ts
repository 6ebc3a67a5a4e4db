// `npm run bench:slice`: 3DBenchy on the middle of an Ender 3's plate (creality_ender3, 0.2 mm layers,
// everything else as the machine's definitions say), sliced single-threaded by
//   5.13            our CuraEngine 5.13.0 build (public/engine/): the app's slicer worker in Chromium, and Node;
//   cura-wasm-2020  the fallback engine (CuraEngine of December 2020 from cura-wasm 1.5.2): Chromium and Node;
//   native          Debian's CuraEngine 4.13 binary with -m1,
// in interleaved rounds (every runner once per round, in the same order), each runner warmed by one untimed
// slice first. Settings: each engine gets every setting resolved by the app's resolver from the definitions
// of its own generation (5.13: Cura 5.13, setting_version 27; 2020: cura-wasm-definitions, setting_version
// 16), for the same machine and layer height. The native 4.13 engine has no definitions of its own on this
// machine: it gets the Cura 5.13 definition files and the 5.13 settings, plus the 2020 values of settings
// that 4.13 still reads and 5.13 dropped.
// Also: engine bytes (raw, gzip, brotli) and the time from the click to the engine working in the browser.
// Last line: {"bench":"slice","results":[{engine, where, threads, medianSeconds, runs}]}.
//
// Environment: SLICE_BENCH_RUNS (rounds, default 3), SLICEPORT_BROWSER, SLICEPORT_BENCH_PORT (default 4186;
// the fallback's page uses the next port).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { buildFallbackEngine } from '../wasm/build-engine.mjs';
import { createEngineInstance, type CompiledEngine } from '../wasm/engine-loader.js';
import {
  engineDirectory,
  fallbackEngineDirectory,
  isSourceBuiltEngine,
  loadEngineFromDisk,
  packageDefinitionLoader,
  readEngineManifest,
  repositoryRoot,
} from '../wasm/node-engine.js';
import { cacheDirectory, obtainArchive, unpackArchive } from '../wasm/upstream-sources.mjs';
import { findBrowser, PLAYWRIGHT_BROWSER_FLAGS } from '../scripts/find-browser.mjs';
import { buildEngineArguments } from '../src/slicer/engine/engine-arguments.js';
import { definitionLoaderFrom } from '../src/slicer/engine/definition-loader.js';
import { shiftBinaryStl } from '../src/slicer/engine/placed-mesh.js';
import { runSliceJob } from '../src/slicer/engine/slice-job.js';
import { PackageDefinitionSource } from '../src/slicer/engine/testing/package-definition-source.js';
import { resolvedSettingsForTest } from '../src/slicer/engine/testing/resolved-settings.js';
import type { DefinitionLoader } from '../src/slicer/engine/definition-chain.js';
import { NodeDefinitionSource } from '../src/slicer/settings/node-definition-source.js';
import type { EngineSettings } from '../src/slicer/slice-api.js';
import { benchWorkFolder, benchyJob, skipWithoutBenchy, waitForServer } from './browser-harness.js';
import type { BrowserSliceTiming } from './slice/bench-page.js';

type EngineName = '5.13' | 'cura-wasm-2020' | 'native';
type Where = 'browser' | 'node' | 'native';
interface Runner {
  engine: EngineName;
  where: Where;
  label: string;
  /** One slice; returns seconds (and a note the first time). */
  run(): Promise<number>;
  runs: number[];
  note: string;
}

const machine = 'creality_ender3';
const modelName = '3DBenchy';
const layerHeight = 0.2;
const rounds = Math.max(1, Number(process.env.SLICE_BENCH_RUNS ?? 3));
const port = Number(process.env.SLICEPORT_BENCH_PORT ?? 4186);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

skipWithoutBenchy('slice');
if (!isSourceBuiltEngine()) {
  console.log('NOTE: public/engine does not hold CuraEngine 5.13 built from source (run `node wasm/build-engine.mjs`); the 5.13 runners are skipped.');
}
const have513 = isSourceBuiltEngine();

// 1. The jobs: one model, settings per engine generation.
const job = await benchyJob(machine);
const settings513 = await resolvedSettingsForTest(machine, { layer_height: layerHeight });
const settings2020 = await resolvedSettingsForTest(machine, { layer_height: layerHeight }, new PackageDefinitionSource());
const work = benchWorkFolder('slice');
buildFallbackEngine(fallbackEngineDirectory, () => undefined);
const runners: Runner[] = [];

// 2. Node runners: the slice job and loader the worker uses.
async function nodeRunner(engine: EngineName, compiled: CompiledEngine, settings: EngineSettings, loadDefinition: DefinitionLoader): Promise<Runner> {
  let layers = 0;
  return {
    engine,
    where: 'node',
    label: `${engine} node`,
    runs: [],
    note: '',
    async run(this: Runner) {
      const started = performance.now();
      const outcome = await runSliceJob(
        { machineDefinitionId: machine, settings, meshes: [{ name: modelName, extruder: 0, stl: job.stl.slice(0) }] },
        { createEngine: (hooks) => createEngineInstance(compiled, hooks), loadDefinition },
      );
      if (!outcome.ok) throw new Error(`${engine} node slice failed: ${outcome.error.message}\n${outcome.error.detail ?? ''}`);
      layers = outcome.result.metadata.layerCount;
      this.note = `${layers} layers, print ${(outcome.result.metadata.printSeconds / 60).toFixed(0)} min`;
      return (performance.now() - started) / 1000;
    },
  };
}

// 3. Browser runners: the production build of bench/slice/ (the app's SlicerClient and worker), served
// twice: with public/engine (5.13), and with the fallback engine in its engine/ folder.
const servers: ChildProcess[] = [];
let browser: Browser | null = null;
let chromiumVersion = 'chromium n/a';
const clickToEngineMs: number[] = [];

async function browserRunner(engine: EngineName, dist: string, servePort: number, settings: EngineSettings): Promise<Runner> {
  writeFileSync(join(dist, 'bench-model.stl'), new Uint8Array(job.stl));
  writeFileSync(join(dist, 'bench-job.json'), JSON.stringify({ machine, settings }));
  const server = spawn('npx', ['vite', 'preview', '--outDir', dist, '--port', String(servePort), '--strictPort', '--config', 'bench/slice/vite.config.ts'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  servers.push(server);
  const url = `http://localhost:${servePort}/`;
  await waitForServer(url);
  if (!browser) {
    const executablePath = await findBrowser();
    chromiumVersion = spawnSync(executablePath, ['--version'], { encoding: 'utf8' }).stdout.trim();
    browser = await chromium.launch({ executablePath, args: [...PLAYWRIGHT_BROWSER_FLAGS], headless: true });
  }
  const page: Page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[page ${engine}] ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => 'sliceBench' in window);
  await page.evaluate(() => window.sliceBench.warm());
  return {
    engine,
    where: 'browser',
    label: `${engine} browser`,
    runs: [],
    note: '',
    async run(this: Runner) {
      const timing: BrowserSliceTiming = await page.evaluate(() => window.sliceBench.sliceOnce());
      if (!timing.ok) throw new Error(`${engine} browser slice failed: ${timing.message}`);
      if (engine === '5.13') clickToEngineMs.push(timing.toEngineStartMs);
      this.note = `${timing.layerCount} layers; click→engine ${timing.toEngineStartMs.toFixed(0)} ms; longest progress gap ${timing.maxProgressGapMs.toFixed(0)} ms`;
      return timing.totalSeconds;
    },
  };
}

// 4. Native CuraEngine 4.13, one thread.
async function nativeRunner(): Promise<Runner | string> {
  const nativeEngine = spawnSync('sh', ['-c', 'command -v CuraEngine'], { encoding: 'utf8' }).stdout.trim();
  if (!nativeEngine) return 'not installed (apt-get install -y cura-engine)';
  const resources = join(cacheDirectory(), 'cura-resources-5.13.0');
  if (!existsSync(join(resources, 'resources', 'definitions', 'fdmprinter.def.json'))) {
    const archive = await obtainArchive('cura-resources');
    unpackArchive(archive.path, resources, { only: archive.source.only });
  }
  const definitions = join(resources, 'resources', 'definitions');
  const extruders = join(resources, 'resources', 'extruders');
  // 4.13 reads extruder_nr from the global settings too (Cura sends it); 5.13 and the 2020 build do not need it.
  const merged: EngineSettings = {
    global: { extruder_nr: '0', ...settings2020.global, ...settings513.global },
    extruders: settings513.extruders.map((values, index) => ({ ...settings2020.extruders[index], ...values })),
  };
  const engineStl = job.stl.slice(0);
  shiftBinaryStl(engineStl, -job.bedCentre[0], -job.bedCentre[1]);
  const stlPath = join(work, 'native-model.stl');
  const gcodePath = join(work, 'native.gcode');
  writeFileSync(stlPath, new Uint8Array(engineStl));
  const args = buildEngineArguments({
    machineFile: join(definitions, `${machine}.def.json`),
    settings: merged,
    meshes: [{ path: stlPath, extruder: 0 }],
    outputFile: gcodePath,
    verbose: false,
  });
  const env = { ...process.env, CURA_ENGINE_SEARCH_PATH: [definitions, extruders].join(':') };
  const version = spawnSync(nativeEngine, ['help'], { encoding: 'utf8' }).stderr?.match(/version ([^\s]+)/)?.[1] ?? '4.13';
  return {
    engine: 'native',
    where: 'native',
    label: `native ${version} -m1`,
    runs: [],
    note: '',
    async run(this: Runner) {
      rmSync(gcodePath, { force: true });
      const started = performance.now();
      const run = spawnSync(nativeEngine, [args[0], '-m1', ...args.slice(1)], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const seconds = (performance.now() - started) / 1000;
      const gcode = existsSync(gcodePath) ? readFileSync(gcodePath, 'utf8') : '';
      const layers = /;LAYER_COUNT:(\d+)/.exec(gcode)?.[1];
      if (run.status !== 0 || !layers) {
        const errors = (run.stderr ?? '').split('\n').filter((line) => /error/i.test(line)).slice(-3).join(' | ');
        throw new Error(`native slice failed (exit ${run.status}): ${errors}`);
      }
      this.note = `${layers} layers (CuraEngine ${version}, Cura 5.13 definition files)`;
      return seconds;
    },
  };
}

try {
  // Build the harness once; the fallback's copy gets the cura-wasm engine in engine/.
  const dist513 = join(work, 'dist-5.13');
  const build = spawnSync('npx', ['vite', 'build', '--config', 'bench/slice/vite.config.ts', '--outDir', dist513], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('the benchmark harness did not build');
  const dist2020 = join(work, 'dist-2020');
  cpSync(dist513, dist2020, { recursive: true });
  rmSync(join(dist2020, 'engine'), { recursive: true, force: true });
  mkdirSync(join(dist2020, 'engine'), { recursive: true });
  cpSync(fallbackEngineDirectory, join(dist2020, 'engine'), { recursive: true });

  if (have513) runners.push(await browserRunner('5.13', dist513, port, settings513));
  runners.push(await browserRunner('cura-wasm-2020', dist2020, port + 1, settings2020));
  if (have513) {
    const catalog = new NodeDefinitionSource();
    runners.push(await nodeRunner('5.13', await loadEngineFromDisk(), settings513, definitionLoaderFrom(catalog)));
  }
  runners.push(await nodeRunner('cura-wasm-2020', await loadEngineFromDisk(fallbackEngineDirectory), settings2020, packageDefinitionLoader()));
  const native = await nativeRunner();
  if (typeof native === 'string') console.log(`native: ${native}`);
  else runners.push(native);

  // Warm-up: one untimed slice each, then interleaved rounds.
  for (const runner of runners) await runner.run();
  for (let round = 0; round < rounds; round++) {
    for (const runner of runners) runner.runs.push(await runner.run());
  }
} finally {
  await (browser as Browser | null)?.close();
  for (const server of servers) {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

// 5. The table.
const find = (engine: EngineName, where: Where) => runners.find((runner) => runner.engine === engine && runner.where === where);
const med = (engine: EngineName, where: Where) => {
  const runner = find(engine, where);
  return runner && runner.runs.length > 0 ? median(runner.runs) : undefined;
};
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined);
const showRatio = (value: number | undefined, target: number) =>
  value === undefined ? 'n/a' : `${value.toFixed(2)}×  (target ≤ ${target}×: ${value <= target ? 'met' : 'NOT met'})`;

console.log(`\nSlice benchmark: ${modelName} (${job.triangles} triangles), ${machine}, ${layerHeight} mm layers, one thread each`);
console.log(`${rounds} interleaved rounds after one warm-up slice per runner; median, min–max and spread of the timed runs`);
console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${chromiumVersion}`);
console.log('');
console.log('runner                      median s   min–max s       spread  notes');
for (const runner of runners) {
  const m = median(runner.runs);
  const lo = Math.min(...runner.runs);
  const hi = Math.max(...runner.runs);
  console.log(
    `${runner.label.padEnd(27)} ${m.toFixed(2).padStart(8)}   ${`${lo.toFixed(2)}–${hi.toFixed(2)}`.padEnd(13)} ${`${(((hi - lo) / m) * 100).toFixed(0)} %`.padStart(6)}  ${runner.note}`,
  );
}
console.log('');
console.log(`5.13 browser / cura-wasm-2020 browser  ${showRatio(ratio(med('5.13', 'browser'), med('cura-wasm-2020', 'browser')), 1.1)}`);
console.log(`5.13 browser / native 4.13 -m1         ${showRatio(ratio(med('5.13', 'browser'), med('native', 'native')), 1.3)}`);
console.log(`5.13 node / cura-wasm-2020 node        ${ratio(med('5.13', 'node'), med('cura-wasm-2020', 'node'))?.toFixed(2) ?? 'n/a'}×`);
console.log(`5.13 browser / 5.13 node               ${ratio(med('5.13', 'browser'), med('5.13', 'node'))?.toFixed(2) ?? 'n/a'}×`);
const click = clickToEngineMs.length > 0 ? median(clickToEngineMs) : undefined;
console.log(`click → engine working (5.13, warm page): ${click === undefined ? 'n/a' : `${click.toFixed(0)} ms (target < 1000 ms: ${click < 1000 ? 'met' : 'NOT met'})`}`);
console.log('');
console.log('engine bytes            wasm raw   gzip      brotli    glue raw  gzip     brotli');
for (const [label, directory] of [
  ['5.13 (public/engine)', engineDirectory],
  ['cura-wasm-2020', fallbackEngineDirectory],
] as const) {
  const manifest = readEngineManifest(directory);
  if (!manifest) continue;
  const mb = (key: string) => `${(Number(manifest[key]) / 1e6).toFixed(2)} MB`.padEnd(10);
  const kb = (key: string) => `${(Number(manifest[key]) / 1e3).toFixed(0)} kB`.padEnd(9);
  console.log(`${label.padEnd(23)} ${mb('wasmBytes')}${mb('wasmGzipBytes')}${mb('wasmBrotliBytes')}${kb('glueBytes')}${kb('glueGzipBytes')}${kb('glueBrotliBytes')}`);
}
console.log(
  JSON.stringify({
    bench: 'slice',
    results: runners.map((runner) => ({
      engine: runner.engine,
      where: runner.where,
      threads: 1,
      medianSeconds: Number(median(runner.runs).toFixed(3)),
      runs: runner.runs.map((value) => Number(value.toFixed(3))),
    })),
  }),
);
