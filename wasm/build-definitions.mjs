// Packages Cura's printer definitions as static data: every `*.def.json` of cura-wasm-definitions
// (fdmprinter, fdmextruder, about 320 machines and their extruders), minified, into
// public/definitions/, plus catalog.json, the index the printer picker searches. The app loads a
// machine's files on demand; the service worker precaches them, so they work offline.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from './definitions-catalog.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = ['src/definitions', 'dist/definitions']
  .map((sub) => join(root, 'node_modules/cura-wasm-definitions', sub))
  .find((dir) => existsSync(join(dir, 'fdmprinter.def.json')));
if (!sourceDir) {
  console.error('definitions build: cura-wasm-definitions is not installed (run npm install).');
  process.exit(1);
}

const outDir = join(root, 'public/definitions');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

let count = 0;
let bytes = 0;
for (const name of readdirSync(sourceDir)) {
  if (!name.endsWith('.def.json')) continue;
  const text = JSON.stringify(JSON.parse(readFileSync(join(sourceDir, name), 'utf8')));
  writeFileSync(join(outDir, name.toLowerCase()), text);
  count += 1;
  bytes += text.length;
}
const catalog = buildCatalog(sourceDir);
writeFileSync(join(outDir, 'catalog.json'), JSON.stringify(catalog));
const concrete = catalog.machines.filter((machine) => machine.concrete).length;
console.log(
  `definitions build: ${count} files (${(bytes / 1e6).toFixed(1)} MB), catalog of ${catalog.machines.length} machines (${concrete} printers) in public/definitions/`,
);
