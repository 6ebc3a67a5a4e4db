// `npm run bench:settings`: resolving every setting of a printer (global and extruder stacks: value,
// enabled, validation) from scratch, and again after one user change (incremental). Targets: under
// 50 ms and under 5 ms. Prints a table, then one JSON line with the figures.
import { cpus } from 'node:os';
import { loadMachine } from '../src/slicer/settings/machine.js';
import { NodeDefinitionSource } from '../src/slicer/settings/node-definition-source.js';
import { GLOBAL, SettingStacks } from '../src/slicer/settings/setting-stacks.js';

const machines = process.argv.slice(2).length ? process.argv.slice(2) : ['creality_ender3', 'ultimaker2', 'prusa_i3', 'ultimaker3'];
const fullRuns = 15;
const changeRuns = 40;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const changes: [number, string, (i: number) => unknown][] = [
  [0, 'infill_sparse_density', (i) => 10 + (i % 60)],
  [GLOBAL, 'layer_height', (i) => [0.12, 0.16, 0.2, 0.28][i % 4]],
  [0, 'wall_thickness', (i) => 0.8 + (i % 5) * 0.4],
  [0, 'material_print_temperature', (i) => 190 + (i % 30)],
  [GLOBAL, 'support_enable', (i) => i % 2 === 0],
  [GLOBAL, 'adhesion_type', (i) => ['skirt', 'brim', 'raft', 'none'][i % 4]],
  [0, 'speed_print', (i) => 40 + (i % 40)],
];

const source = new NodeDefinitionSource();
// Warm the JIT and the formula cache on every machine first, so the figures are the steady state
// of a running app (the first, cold resolution is shown separately).
const firstMs = new Map<string, number>();
for (const id of machines) {
  const machine = await loadMachine(source, id);
  const start = performance.now();
  new SettingStacks(machine).resolveAll();
  firstMs.set(id, performance.now() - start);
}
for (let round = 0; round < 5; round += 1) for (const id of machines) new SettingStacks(await loadMachine(source, id)).resolveAll();

const results: { machine: string; fullMs: number; incrementalMs: number }[] = [];
const rows: string[] = [];
for (const id of machines) {
  const loadStart = performance.now();
  const machine = await loadMachine(new NodeDefinitionSource(), id);
  const loadMs = performance.now() - loadStart;

  const coldMs = firstMs.get(id) ?? 0;

  const full: number[] = [];
  for (let i = 0; i < fullRuns; i += 1) {
    const start = performance.now();
    new SettingStacks(machine).resolveAll();
    full.push(performance.now() - start);
  }

  // Switching to this printer in the app: the files are already fetched and parsed (the app's
  // definition source keeps them), its containers are built afresh, then every setting resolved.
  const switching: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const start = performance.now();
    new SettingStacks(await loadMachine(source, id)).resolveAll();
    switching.push(performance.now() - start);
  }

  const stacks = new SettingStacks(machine);
  stacks.resolveAll();
  const incremental: number[] = [];
  const perChange = new Map<string, number[]>();
  for (let i = 0; i < changeRuns; i += 1) {
    for (const [stack, key, value] of changes) {
      const start = performance.now();
      const result = stacks.setUserValue(stack, key, value(i));
      stacks.resolveAll();
      const ms = performance.now() - start;
      if (!result.ok) throw new Error(result.message);
      incremental.push(ms);
      perChange.set(key, [...(perChange.get(key) ?? []), ms]);
    }
  }
  const fullMs = median(full);
  const incrementalMs = median(incremental);
  results.push({ machine: id, fullMs: Number(fullMs.toFixed(2)), incrementalMs: Number(incrementalMs.toFixed(3)) });
  const worst = [...perChange].map(([key, values]) => [key, median(values)] as const).sort((a, b) => b[1] - a[1])[0];
  rows.push(
    [id.padEnd(18), loadMs.toFixed(1).padStart(8), coldMs.toFixed(1).padStart(9), median(switching).toFixed(1).padStart(10), fullMs.toFixed(2).padStart(9), incrementalMs.toFixed(3).padStart(10), `${worst[0]} ${worst[1].toFixed(3)}`.padStart(36)].join(' '),
  );
}

console.log(`settings resolution — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
console.log(`median of ${fullRuns} full resolutions and of ${changeRuns * changes.length} single changes (${changes.map((c) => c[1]).join(', ')})`);
console.log('load: reading and parsing the files; first: the very first resolution in the process (formula parsing, cold JIT);');
console.log('switch: containers built from parsed files + every setting resolved (choosing a printer in the app);');
console.log('full: a fresh set of stacks for an already loaded printer; change: one user change and its dependents');
console.log(['machine'.padEnd(18), 'load ms'.padStart(8), 'first ms'.padStart(9), 'switch ms'.padStart(10), 'full ms'.padStart(9), 'change ms'.padStart(10), 'slowest change (median ms)'.padStart(36)].join(' '));
for (const row of rows) console.log(row);
console.log('targets: full < 50 ms, change < 5 ms');
console.log(JSON.stringify({ bench: 'settings', results }));
