// `npm run bench:isolation` (Chromium, production build of bench/isolation/): slicing while printing.
// A job streams from IndexedDB to the simulated printer in the app's printer worker at 115200 baud in
// fast flow-control mode; after a baseline, the app's slicer worker slices 3DBenchy (creality_ender3,
// settings from the app's resolver). Reports the sender's lines per second and longest gap between two
// lines, without and with the slice running, in the same run. Last line:
// {"bench":"isolation","results":[{"slicing":false,"linesPerSecond":…,"maxGapMs":…,"idleThreadMaxDelayMs":…},{"slicing":true,…}]}
import { cpus } from 'node:os';
import { benchWorkFolder, benchyJob, driveHarness, skipWithoutBenchy } from './browser-harness.js';
import type { IsolationRun } from './isolation/bench-page.js';

const port = Number(process.env.SLICEPORT_BENCH_PORT ?? 4186);
const baselineSeconds = Number(process.env.ISOLATION_BASELINE_SECONDS ?? 15);
const control = Number(process.env.ISOLATION_CONTROL_SECONDS ?? 0);

skipWithoutBenchy('isolation');
const job = await benchyJob('creality_ender3');
const { result, chromiumVersion } = await driveHarness(
  'isolation',
  {
    work: benchWorkFolder('isolation'),
    port,
    files: { 'bench-model.stl': new Uint8Array(job.stl), 'bench-job.json': JSON.stringify({ machine: job.machine, settings: job.settings }) },
  },
  async (page): Promise<IsolationRun> => {
    await page.waitForFunction(() => 'isolationBench' in window);
    return page.evaluate(([seconds, wait]) => window.isolationBench.run(seconds, wait), [baselineSeconds, control] as const);
  },
);

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
console.log('slicing  seconds   lines  lines/s  longest gap  idle thread late');
for (const phase of result.phases) {
  console.log(
    `${String(phase.slicing).padEnd(8)} ${phase.seconds.toFixed(1).padStart(7)} ${String(phase.lines).padStart(7)} ${phase.linesPerSecond.toFixed(1).padStart(8)}  ${`${phase.maxGapMs.toFixed(1)} ms`.padStart(11)}  ${(phase.idleThreadMaxDelayMs > 0 ? `${phase.idleThreadMaxDelayMs.toFixed(1)} ms` : 'under 5 ms').padStart(16)}`,
  );
}
console.log(
  '\nlongest gap: the longest wall-clock time between the sender writing two consecutive job lines to the port.\n' +
    'The job is wire-bound (the simulated firmware has free buffer space at every send), so a gap is the printer\n' +
    "worker's thread not running, never the printer's pace. idle thread late: the longest delay of a 4 ms timer in\n" +
    'an idle worker of the same page over the phase (delays under 5 ms are not recorded; 0 in the JSON), i.e. how long\n' +
    'the machine left a thread of the page waiting. A gap close to it is the machine, not the printer link.',
);
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
      idleThreadMaxDelayMs: Number(phase.idleThreadMaxDelayMs.toFixed(1)),
    })),
  }),
);
