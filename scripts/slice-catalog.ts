// `npm run -s slice-catalog [-- --printers-only] [--support] [--machine ID ...] [--limit N]`: slices a small cube
// (one per extruder in use, each printed by its extruder) on every machine of the built catalog with the engine
// in public/engine/, settings resolved as the app resolves them. `--support` slices a ledge with an overhang
// instead, with support on. Prints a table, the machines that did not
// slice with the reason, and as its last line one JSON object:
// {"engine", "definitions", "machines", "sliced", "refused", "failed", "seconds", "failures": [{machine, outcome, message}]}.
// "refused" is what the app does too: a setting of the printer's own definition is out of its bounds.
import { builtEngineDescription, CatalogSlicer, ledgesForMachine, type CatalogSliceResult } from '../src/slicer/settings/catalog-slicing.js';

const args = process.argv.slice(2);
const printersOnly = args.includes('--printers-only');
const withSupport = args.includes('--support');
const chosen = args.flatMap((arg, i) => (args[i - 1] === '--machine' ? [arg.toLowerCase()] : []));
const limitAt = args.indexOf('--limit');
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : Infinity;

const engine = builtEngineDescription();
if (!engine) {
  process.stderr.write('slice-catalog: the engine is not built: run `node wasm/build-engine.mjs` (npm install runs it).\n');
  process.exit(1);
}
const slicer = await CatalogSlicer.create();
const catalog = await slicer.source.catalog();
let machines = catalog.machines.filter((machine) => !printersOnly || machine.concrete);
if (chosen.length) machines = machines.filter((machine) => chosen.includes(machine.id));
machines = machines.slice(0, limit);

const engineJson = JSON.parse(engine) as Record<string, unknown>;
const engineName = String(engineJson.engine ?? engineJson.source ?? 'unknown');
process.stdout.write(`Engine: ${engineName}\nDefinitions: ${catalog.source.package} ${catalog.source.version} (setting_version ${catalog.source.settingVersion})\n`);
process.stdout.write(`Slicing ${withSupport ? 'a ledge per extruder, support on,' : 'a cube per extruder'} on ${machines.length} machines…\n`);

const started = performance.now();
const results: (CatalogSliceResult & { concrete: boolean })[] = [];
for (const [i, machine] of machines.entries()) {
  const result = await slicer.slice(machine.id, withSupport ? { changes: { global: { support_enable: true }, extruders: {} }, meshes: ledgesForMachine } : {});
  results.push({ ...result, concrete: machine.concrete });
  if (result.outcome !== 'sliced') process.stdout.write(`  ${machine.id}: ${result.outcome}: ${result.message}\n`);
  if ((i + 1) % 50 === 0) process.stdout.write(`  … ${i + 1} of ${machines.length}\n`);
}
const seconds = (performance.now() - started) / 1000;

const count = (filter: (r: (typeof results)[number]) => boolean) => results.filter(filter).length;
const rows: [string, number, number, number, number][] = [
  ['printers (concrete)', ...(['sliced', 'refused', 'failed'] as const).map((o) => count((r) => r.concrete && r.outcome === o)), count((r) => r.concrete)] as [string, number, number, number, number],
  ['base definitions', ...(['sliced', 'refused', 'failed'] as const).map((o) => count((r) => !r.concrete && r.outcome === o)), count((r) => !r.concrete)] as [string, number, number, number, number],
  ['multi-extruder', ...(['sliced', 'refused', 'failed'] as const).map((o) => count((r) => r.extruders > 1 && r.outcome === o)), count((r) => r.extruders > 1)] as [string, number, number, number, number],
  ['all', ...(['sliced', 'refused', 'failed'] as const).map((o) => count((r) => r.outcome === o)), results.length] as [string, number, number, number, number],
];
const sliceTimes = results.filter((r) => r.outcome === 'sliced').map((r) => r.seconds).sort((a, b) => a - b);
const median = sliceTimes.length ? sliceTimes[Math.floor(sliceTimes.length / 2)] : 0;
process.stdout.write('\n| machines | sliced | refused | failed | total |\n| --- | ---: | ---: | ---: | ---: |\n');
for (const [label, sliced, refused, failed, total] of rows) process.stdout.write(`| ${label} | ${sliced} | ${refused} | ${failed} | ${total} |\n`);
process.stdout.write(`\n${seconds.toFixed(0)} s in all; median ${median.toFixed(2)} s per sliced machine.\n`);
process.stdout.write(
  `${JSON.stringify({
    engine: engineName,
    model: withSupport ? 'ledge, support on' : 'cube',
    definitions: `${catalog.source.package} ${catalog.source.version}`,
    machines: results.length,
    sliced: count((r) => r.outcome === 'sliced'),
    refused: count((r) => r.outcome === 'refused'),
    failed: count((r) => r.outcome === 'failed'),
    seconds: Number(seconds.toFixed(1)),
    failures: results.filter((r) => r.outcome !== 'sliced').map(({ machine, outcome, message }) => ({ machine, outcome, message })),
  })}\n`,
);
