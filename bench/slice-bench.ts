// `npm run bench:slice`: the same model with the same resolved settings (3DBenchy, creality_ender3, the
// app's resolver) sliced by
//   browser    the app's slicer worker in Chromium (production build, served locally),
//   node       the same engine build and slice runner in Node,
//   native     Debian's CuraEngine (4.13), all threads, and native-1t with -m1, when installed,
// in one run, with the wall-time ratios, plus the time from "click" to the engine starting work in the
// browser on a warm app. Last line: {"bench":"slice","results":[…]}.
//
// Environment: SLICE_BENCH_RUNS (default 2, the median is reported), SLICEPORT_BROWSER,
// SLICEPORT_CURA_RESOURCES (Cura 4.13 resources for the native engine; default /usr/share/cura/resources).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createEngineInstance } from '../wasm/engine-loader.js';
import { loadEngineFromDisk, packageDefinitionLoader } from '../wasm/node-engine.js';
import { buildEngineArguments } from '../src/slicer/engine/engine-arguments.js';
import { shiftBinaryStl } from '../src/slicer/engine/placed-mesh.js';
import { runSliceJob } from '../src/slicer/engine/slice-job.js';
import { benchWorkFolder, benchyJob, driveHarness, skipWithoutBenchy } from './browser-harness.js';

type Runner = 'browser' | 'node' | 'native' | 'native-1t';
interface Result {
  model: string;
  runner: Runner;
  seconds: number;
}

const machine = 'creality_ender3';
const modelName = '3DBenchy';
const runs = Math.max(1, Number(process.env.SLICE_BENCH_RUNS ?? 2));
const port = Number(process.env.SLICEPORT_BENCH_PORT ?? 4186);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

skipWithoutBenchy('slice');

// 1. The job: 3DBenchy on the middle of the plate, every setting resolved for the Ender 3.
const { settings, stl: placedStl, triangles, bedCentre: [cx, cy] } = await benchyJob(machine);
const work = benchWorkFolder('slice');
const results: Result[] = [];
const extra: Record<string, string> = {};

// 2. Node: the slice runner and engine build the worker uses.
{
  const compiled = await loadEngineFromDisk();
  const times: number[] = [];
  let layers = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const outcome = await runSliceJob(
      { machineDefinitionId: machine, settings, meshes: [{ name: modelName, extruder: 0, stl: placedStl.slice(0) }] },
      { createEngine: (hooks) => createEngineInstance(compiled, hooks), loadDefinition: packageDefinitionLoader() },
    );
    if (!outcome.ok) throw new Error(`node slice failed: ${outcome.error.message}\n${outcome.error.detail ?? ''}`);
    times.push((performance.now() - started) / 1000);
    layers = outcome.result.metadata.layerCount;
  }
  results.push({ model: modelName, runner: 'node', seconds: median(times) });
  extra.node = `${layers} layers; runs ${times.map((t) => t.toFixed(2)).join(', ')} s`;
}

// 3. Browser: production build of the harness (bench/slice/) served locally, driven by Playwright.
let toEngineStartMs: number | null = null;
let maxProgressGapMs: number | null = null;
{
  const { result: browser, chromiumVersion } = await driveHarness(
    'slice',
    { work, port, files: { 'bench-model.stl': new Uint8Array(placedStl), 'bench-job.json': JSON.stringify({ machine, settings }) } },
    async (page) => {
      await page.waitForFunction(() => 'sliceBench' in window);
      await page.evaluate(() => window.sliceBench.warm());
      const times: number[] = [];
      const starts: number[] = [];
      const gaps: number[] = [];
      for (let i = 0; i < runs; i++) {
        const timing = await page.evaluate(() => window.sliceBench.sliceOnce());
        if (!timing.ok) throw new Error(`browser slice failed: ${timing.message}`);
        times.push(timing.totalSeconds);
        starts.push(timing.toEngineStartMs);
        gaps.push(timing.maxProgressGapMs);
      }
      return { times, starts, gaps };
    },
  );
  extra.chromium = chromiumVersion;
  results.push({ model: modelName, runner: 'browser', seconds: median(browser.times) });
  toEngineStartMs = median(browser.starts);
  maxProgressGapMs = Math.max(...browser.gaps);
  extra.browser = `runs ${browser.times.map((t) => t.toFixed(2)).join(', ')} s; click→engine ${browser.starts.map((t) => t.toFixed(0)).join(', ')} ms`;
}

// 4. Native CuraEngine (Debian's cura-engine, 4.13) with the same resolved settings. 4.13 reads settings
// that setting_version 16 lacks, so its own definitions (Debian's `cura` package resources) supply the
// defaults of those; every setting we resolve is still passed with -s and wins.
const nativeEngine = spawnSync('sh', ['-c', 'command -v CuraEngine'], { encoding: 'utf8' }).stdout.trim();
const curaResources = process.env.SLICEPORT_CURA_RESOURCES ?? '/usr/share/cura/resources';
if (!nativeEngine) {
  extra.native = 'not installed (apt-get install -y cura-engine)';
} else if (!existsSync(join(curaResources, 'definitions', 'fdmprinter.def.json'))) {
  extra.native = `skipped: no Cura 4.13 definitions at ${curaResources} (set SLICEPORT_CURA_RESOURCES)`;
} else {
  const engineStl = placedStl.slice(0);
  shiftBinaryStl(engineStl, -cx, -cy);
  const stlPath = join(work, 'native-model.stl');
  writeFileSync(stlPath, new Uint8Array(engineStl));
  const args = buildEngineArguments({
    machineFile: join(curaResources, 'definitions', `${machine}.def.json`),
    settings,
    meshes: [{ path: stlPath, extruder: 0 }],
    outputFile: join(work, 'native.gcode'),
  });
  const env = { ...process.env, CURA_ENGINE_SEARCH_PATH: [join(curaResources, 'definitions'), join(curaResources, 'extruders')].join(':') };
  for (const [runner, threadArgs] of [['native', []], ['native-1t', ['-m1']]] as [Runner, string[]][]) {
    const times: number[] = [];
    let failed = '';
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const run = spawnSync(nativeEngine, [args[0], ...threadArgs, ...args.slice(1)], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const seconds = (performance.now() - started) / 1000;
      const gcode = existsSync(join(work, 'native.gcode')) ? readFileSync(join(work, 'native.gcode'), 'utf8') : '';
      const layers = /;LAYER_COUNT:(\d+)/.exec(gcode)?.[1];
      if (run.status !== 0 || !layers) {
        failed = `exit ${run.status}: ${(run.stderr ?? '').split('\n').filter((line) => line.includes('ERROR')).slice(-3).join(' | ')}`;
        break;
      }
      extra[runner] = `${layers} layers`;
      times.push(seconds);
    }
    if (failed) extra[runner] = `failed (${failed})`;
    else {
      results.push({ model: modelName, runner, seconds: median(times) });
      extra[runner] += `; runs ${times.map((t) => t.toFixed(2)).join(', ')} s`;
    }
  }
  extra.nativeVersion = spawnSync(nativeEngine, ['help'], { encoding: 'utf8' }).stderr?.match(/version ([^\s]+)/)?.[1] ?? '4.13';
}

// 5. The table.
const seconds = (runner: Runner) => results.find((result) => result.runner === runner)?.seconds;
const ratio = (a: Runner, b: Runner) => {
  const x = seconds(a);
  const y = seconds(b);
  return x !== undefined && y !== undefined ? `${(x / y).toFixed(2)}×` : 'n/a';
};
console.log(`\nSlice benchmark: ${modelName} (${triangles} triangles), ${machine}, settings from the app's resolver, median of ${runs}`);
console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${extra.chromium ?? 'chromium n/a'}`);
console.log('');
console.log('runner      seconds  notes');
for (const runner of ['browser', 'node', 'native', 'native-1t'] as Runner[]) {
  const value = seconds(runner);
  console.log(`${runner.padEnd(11)} ${value === undefined ? '    n/a' : value.toFixed(2).padStart(7)}  ${extra[runner] ?? ''}`);
}
console.log('');
console.log(`browser / node       ${ratio('browser', 'node')}   (target ≤ 1.1×)`);
console.log(`browser / native-1t  ${ratio('browser', 'native-1t')}   (target ≤ 1.5×; native is CuraEngine ${extra.nativeVersion ?? '4.13'}, a different version)`);
console.log(`browser / native     ${ratio('browser', 'native')}`);
console.log(`node / native-1t     ${ratio('node', 'native-1t')}`);
console.log(`click → engine working (warm app, browser): ${toEngineStartMs === null ? 'n/a' : `${toEngineStartMs.toFixed(0)} ms`}   (target < 1000 ms)`);
console.log(`longest gap between progress events while the engine works: ${maxProgressGapMs === null ? 'n/a' : `${maxProgressGapMs.toFixed(0)} ms`}`);
console.log(
  JSON.stringify({
    bench: 'slice',
    results: results.map((result) => ({ ...result, seconds: Number(result.seconds.toFixed(3)) })),
    clickToEngineMs: toEngineStartMs === null ? null : Math.round(toEngineStartMs),
  }),
);
