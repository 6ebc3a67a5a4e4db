// Builds the printer catalog the app serves from public/definitions/ (git-ignored):
//
// - `catalog.json`: every machine (name, maker, build volume, extruders, whether a user can own it),
//   the bundle each definition id lives in, and where the definitions come from (package, version,
//   setting version, commit), which Settings → About and the G-code header show;
// - `fdm.json` (fdmprinter and fdmextruder) and one bundle per family of machines that share parents or
//   extruder trains (`creality_base.json`, `ultimaker.json`, …): the app fetches a machine's bundle on
//   demand and the service worker precaches them all, so every printer works offline;
// - `LICENSE.txt`: the licence of the definitions (LGPL-3.0).
//
// The definitions are Cura 5.13's (`resources/definitions` and `resources/extruders` of the pinned Cura
// commit in wasm/upstream-sources.json), taken from the vendor folder (sha256 checked) or downloaded from
// upstream (tree hash checked). When they cannot be had, the build falls back to the 2020 definitions of
// the `cura-wasm-definitions` package and says so, in its output and in catalog.json (`source.fallback`),
// which the app shows. The unpacked archive is kept in the build cache (outside the repository), keyed
// by the archive's sha256. Nothing from the archive is committed.
//
// The definitions must match the engine's setting version (public/engine/engine.json, built first): with the
// 2020 engine, the 2020 definitions are used. `--fallback` forces the package definitions; `--no-download` (or
// SLICEPORT_NO_DOWNLOAD=1) never asks the network; `--out DIR` writes elsewhere and `--engine DIR` names the
// engine folder to match (tests).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOutput, bundleFormat, readDefinitionFolders } from './definitions-catalog.mjs';
import { cacheDirectory, obtainArchive, sha256File, unpackArchive } from './upstream-sources.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const argument = (name) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
};
const outDir = resolve(argument('--out') ?? join(root, 'public/definitions'));
const forceFallback = process.argv.includes('--fallback') || process.env.SLICEPORT_DEFINITIONS === 'package';
const allowDownload = !process.argv.includes('--no-download') && process.env.SLICEPORT_NO_DOWNLOAD !== '1';
const resourcesName = 'cura-resources';
const unpackedParts = ['LICENSE', 'resources/definitions/', 'resources/extruders/'];

/** Cura 5.13's definitions: a verified archive, unpacked once into the cache. */
async function curaResources() {
  const archive = await obtainArchive(resourcesName, { allowDownload, log: (line) => console.log(`definitions build: ${line}`) });
  const archiveSha256 = sha256File(archive.path);
  const unpacked = join(cacheDirectory(), 'cura-resources', archiveSha256);
  if (!existsSync(join(unpacked, '.complete'))) {
    const temporary = `${unpacked}.tmp-${process.pid}`;
    rmSync(temporary, { recursive: true, force: true });
    unpackArchive(archive.path, temporary, { only: unpackedParts });
    writeFileSync(join(temporary, '.complete'), '');
    rmSync(unpacked, { recursive: true, force: true });
    mkdirSync(dirname(unpacked), { recursive: true });
    renameSync(temporary, unpacked);
  }
  const pin = archive.source;
  return {
    dirs: [join(unpacked, 'resources/definitions'), join(unpacked, 'resources/extruders')],
    license: readFileSync(join(unpacked, 'LICENSE'), 'utf8'),
    source: {
      package: 'Cura resources',
      version: pin.version,
      repository: pin.repository,
      commit: pin.commit,
      license: pin.license,
      archive: pin.file,
      archiveSha256,
      treeHash: pin.treeHash,
      origin: archive.origin,
      fallback: false,
    },
  };
}

/** The 2020 definitions of the cura-wasm-definitions package. */
function packageDefinitions(reason) {
  const packageJson = require.resolve('cura-wasm-definitions/package.json', { paths: [root] });
  const packageDir = dirname(packageJson);
  const dir = ['src/definitions', 'dist/definitions'].map((sub) => join(packageDir, sub)).find((d) => existsSync(join(d, 'fdmprinter.def.json')));
  if (!dir) throw new Error('cura-wasm-definitions is not installed (run npm install)');
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8'));
  return {
    dirs: [dir],
    license: null,
    source: {
      package: 'cura-wasm-definitions',
      version: String(pkg.version),
      repository: 'https://github.com/Cloud-CNC/cura-wasm-definitions',
      commit: null,
      license: String(pkg.license ?? 'LGPL-3.0-or-later'),
      origin: 'npm',
      fallback: true,
      reason,
    },
  };
}

/**
 * The engine the app ships (public/engine/engine.json, built first by `npm run build`), when the output is
 * the app's own folder: the definitions must match its setting version, or every slice fails.
 */
function shippedEngine() {
  const engineDir = argument('--engine') ?? (argument('--out') ? null : join(root, 'public/engine'));
  if (!engineDir) return null;
  try {
    const engine = JSON.parse(readFileSync(join(engineDir, 'engine.json'), 'utf8'));
    return typeof engine.settingVersion === 'number' ? { name: String(engine.engine ?? 'the engine'), settingVersion: engine.settingVersion } : null;
  } catch {
    return null;
  }
}

function settingVersionIn(dirs) {
  return Number(JSON.parse(readFileSync(join(dirs[0], 'fdmprinter.def.json'), 'utf8')).metadata?.setting_version ?? 0);
}

const fallBack = (reason) => {
  console.warn(`definitions build: ${reason}.`);
  console.warn('definitions build: FALLING BACK to the 2020 definitions of cura-wasm-definitions; the app will say so.');
  return packageDefinitions(reason);
};

let input;
const engine = shippedEngine();
if (forceFallback) {
  input = packageDefinitions('the package definitions were asked for');
} else {
  try {
    input = await curaResources();
  } catch (error) {
    input = fallBack(`Cura 5.13's definitions could not be had: ${error instanceof Error ? error.message : String(error)}`);
  }
  const version = settingVersionIn(input.dirs);
  if (!input.source.fallback && engine && engine.settingVersion !== version) {
    input = fallBack(`the engine built into public/engine (${engine.name}) reads setting_version ${engine.settingVersion}, not Cura 5.13's ${version}`);
  }
}
if (engine && engine.settingVersion !== settingVersionIn(input.dirs)) {
  console.warn(
    `definitions build: WARNING: these definitions (setting_version ${settingVersionIn(input.dirs)}) do not match the engine in public/engine ` +
      `(${engine.name}, setting_version ${engine.settingVersion}): slicing will fail until both are rebuilt.`,
  );
}

// Skip the work when the same input was already turned into this output by this script.
const stamp = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .update(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'definitions-catalog.mjs')))
  .update(JSON.stringify({ ...input.source, origin: undefined, bundleFormat }))
  .update(input.dirs.map((dir) => `${dir}:${readdirSync(dir).length}`).join('|'))
  .digest('hex');
try {
  const previous = JSON.parse(readFileSync(join(outDir, 'catalog.json'), 'utf8'));
  if (previous.buildStamp === stamp && existsSync(join(outDir, 'fdm.json'))) {
    console.log(`definitions build: up to date (${outDir}, ${previous.source.package} ${previous.source.version})`);
    process.exit(0);
  }
} catch {
  // no previous build
}

const started = performance.now();
const files = readDefinitionFolders(input.dirs);
const { catalog, bundles, skipped, unbundled } = buildOutput(files, input.source);
for (const line of skipped) console.warn(`definitions build: left out ${line}`);
if (unbundled.length) console.warn(`definitions build: ${unbundled.length} definitions no machine uses were left out: ${unbundled.join(', ')}`);

// Write into a fresh folder, then swap, so a failed build never leaves half a catalog.
const temporary = `${outDir}.tmp-${process.pid}`;
rmSync(temporary, { recursive: true, force: true });
mkdirSync(temporary, { recursive: true });
let bytes = 0;
for (const [name, content] of bundles) {
  const text = JSON.stringify({ format: bundleFormat, definitions: content });
  writeFileSync(join(temporary, `${name}.json`), text);
  bytes += text.length;
}
if (input.license) writeFileSync(join(temporary, 'LICENSE.txt'), input.license);
const catalogText = JSON.stringify({ ...catalog, buildStamp: stamp });
writeFileSync(join(temporary, 'catalog.json'), catalogText);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(dirname(outDir), { recursive: true });
renameSync(temporary, outDir);

const concrete = catalog.machines.filter((machine) => machine.concrete).length;
const { package: from, version, settingVersion } = catalog.source;
console.log(
  `definitions build: ${from} ${version} (setting_version ${settingVersion}): ${files.size} definitions in ${bundles.size} bundles ` +
    `(${(bytes / 1e6).toFixed(2)} MB) + catalog of ${catalog.machines.length} machines (${concrete} printers, ${(catalogText.length / 1e3).toFixed(0)} kB) ` +
    `in ${outDir} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
