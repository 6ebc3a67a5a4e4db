// Builds the slicing engine into public/engine/ (git-ignored): run by `npm install` and `npm run build`.
//
// The engine is UltiMaker CuraEngine 5.13.0 compiled to WebAssembly here from the pinned upstream sources
// (wasm/engine-from-source.mjs; cached outside the repository, so a second build only copies). When that
// cannot be done (no toolchain and no way to install it, or no sources), it falls back to the CuraEngine of
// December 2020 that the npm package cura-wasm 1.5.2 ships (wasm/engine-from-cura-wasm.mjs), and says so.
//
// Output: cura-engine.wasm, cura-engine.glue.js (an ES module without eval), their .gz and .br copies,
// engine.json (which engine, its corresponding source), and recipe/ (our build recipe and patches, served
// with the app so the About section can offer them).
//
// Usage: node wasm/build-engine.mjs [--fallback] [--out <folder>]
//   --fallback     build the cura-wasm engine (for example into a second folder for tests)
//   --out <folder> write there instead of public/engine
// Environment: SLICEPORT_ENGINE=source (fail instead of falling back) | cura-wasm (always the fallback);
// SLICEPORT_VENDOR_DIR, SLICEPORT_CACHE_DIR (see wasm/upstream-sources.mjs).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { curaWasmStamp, extractCuraWasmEngine } from './engine-from-cura-wasm.mjs';
import { buildEngineFromSource, compileFlags, linkFlags, patchSummary } from './engine-from-source.mjs';
import { assertGlueWithoutEval, patchEngineGlue } from './engine-glue.mjs';
import { cacheDirectory, pinnedSources, repositoryRoot } from './upstream-sources.mjs';

export const engineFiles = { wasm: 'cura-engine.wasm', glue: 'cura-engine.glue.js', manifest: 'engine.json' };

/** Our recipe files, copied next to the engine: with the upstream archives they are its corresponding source. */
export const recipeFiles = [
  'wasm/build-engine.mjs',
  'wasm/engine-from-source.mjs',
  'wasm/engine-patches.mjs',
  'wasm/engine-glue.mjs',
  'wasm/upstream-sources.mjs',
  'wasm/upstream-sources.json',
  'wasm/scripta/scripta/logger.h',
];

/** Served as plain text (readable in the browser, and precached offline with the app like any .txt). */
const servedRecipePath = (file) => `recipe/${file.split('/').pop()}.txt`;

function writeAtomic(path, data) {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

function readManifest(outDir) {
  try {
    return JSON.parse(readFileSync(join(outDir, engineFiles.manifest), 'utf8'));
  } catch {
    return null;
  }
}

function upToDate(outDir, stamp) {
  const files = [engineFiles.wasm, engineFiles.glue, engineFiles.manifest, `${engineFiles.wasm}.br`, `${engineFiles.wasm}.gz`];
  return files.every((file) => existsSync(join(outDir, file))) && readManifest(outDir)?.buildStamp === stamp;
}

/** Brotli at its best takes tens of seconds on a 3 MB binary: each distinct input is compressed once and kept in the cache. */
function compressedOnce(data, kind, compress) {
  const path = join(cacheDirectory(), 'compressed', `${createHash('sha256').update(data).digest('hex')}.${kind}`);
  if (existsSync(path)) return readFileSync(path);
  const result = compress();
  mkdirSync(dirname(path), { recursive: true });
  writeAtomic(path, result);
  return result;
}

/** Writes the engine, its compressed copies, the recipe and engine.json; the manifest last, so a half-written engine never looks done. */
function writeEngine(outDir, { wasm, glue, manifest, withRecipe }) {
  mkdirSync(outDir, { recursive: true });
  assertGlueWithoutEval(glue, join(outDir, engineFiles.glue));
  const compressed = {};
  for (const [file, data] of [
    [engineFiles.wasm, wasm],
    [engineFiles.glue, Buffer.from(glue)],
  ]) {
    const gz = compressedOnce(data, 'gz', () => gzipSync(data, { level: 9 }));
    const br = compressedOnce(data, 'br', () =>
      brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
    );
    writeAtomic(join(outDir, file), data);
    writeAtomic(join(outDir, `${file}.gz`), gz);
    writeAtomic(join(outDir, `${file}.br`), br);
    compressed[file] = { bytes: data.length, gzipBytes: gz.length, brotliBytes: br.length };
  }
  if (withRecipe) {
    mkdirSync(join(outDir, 'recipe'), { recursive: true });
    for (const file of recipeFiles) copyFileSync(join(repositoryRoot, file), join(outDir, servedRecipePath(file)));
  }
  const full = {
    ...manifest,
    wasm: engineFiles.wasm,
    glue: engineFiles.glue,
    wasmBytes: wasm.length,
    wasmGzipBytes: compressed[engineFiles.wasm].gzipBytes,
    wasmBrotliBytes: compressed[engineFiles.wasm].brotliBytes,
    wasmSha256: createHash('sha256').update(wasm).digest('hex'),
    glueBytes: compressed[engineFiles.glue].bytes,
    glueGzipBytes: compressed[engineFiles.glue].gzipBytes,
    glueBrotliBytes: compressed[engineFiles.glue].brotliBytes,
    ...(withRecipe ? { recipe: recipeFiles.map((file) => ({ path: file, served: servedRecipePath(file) })) } : {}),
  };
  writeAtomic(join(outDir, engineFiles.manifest), JSON.stringify(full, null, 2) + '\n');
  return full;
}

/** Builds the cura-wasm engine into `outDir` (idempotent). */
export function buildFallbackEngine(outDir, log = console.log) {
  const stamp = curaWasmStamp();
  if (upToDate(outDir, stamp)) {
    log(`engine build: up to date (${readManifest(outDir)?.engine}, ${outDir})`);
    return readManifest(outDir);
  }
  const started = performance.now();
  const extracted = extractCuraWasmEngine();
  const manifest = writeEngine(outDir, { ...extracted, manifest: { ...extracted.manifest, buildStamp: stamp } });
  log(
    `engine build: ${manifest.engine} → ${outDir} (${(manifest.wasmBytes / 1e6).toFixed(2)} MB wasm) in ${(performance.now() - started).toFixed(0)} ms`,
  );
  return manifest;
}

/** Builds CuraEngine 5.13 from source into `outDir` (idempotent; compiles only when the cache lacks it). */
export async function buildSourceEngine(outDir, log = console.log) {
  const build = await buildEngineFromSource({ log });
  // The output also depends on how we patch the glue and write the folder, not only on the compiled engine.
  const stamp = createHash('sha256')
    .update(build.key)
    .update(readFileSync(join(repositoryRoot, 'wasm', 'build-engine.mjs')))
    .update(readFileSync(join(repositoryRoot, 'wasm', 'engine-glue.mjs')))
    .update(recipeFiles.map((file) => readFileSync(join(repositoryRoot, file), 'utf8')).join('\0'))
    .digest('hex');
  if (upToDate(outDir, stamp)) {
    log(`engine build: up to date (${readManifest(outDir)?.engine}, ${outDir})`);
    return readManifest(outDir);
  }
  const started = performance.now();
  const pins = pinnedSources();
  const engine = pins.curaengine;
  const header =
    `// Generated by wasm/build-engine.mjs: the Emscripten ${build.emcc} glue of UltiMaker CuraEngine ${engine.version} ` +
    '(AGPL-3.0-or-later), built from source. Do not edit.\n' +
    '// Patched by wasm/engine-glue.mjs: emscripten_run_script goes to Module.runScript (no eval).\n';
  const glue = patchEngineGlue(readFileSync(build.glue, 'utf8'), header);
  const wasm = readFileSync(build.wasm);
  const manifest = writeEngine(outDir, {
    wasm,
    glue,
    withRecipe: true,
    manifest: {
      engine: `CuraEngine ${engine.version}`,
      engineName: 'CuraEngine',
      engineVersion: engine.version,
      settingVersion: 27,
      builtFromSource: true,
      kind: 'curaengine-5',
      license: 'AGPL-3.0-or-later',
      toolchain: `Emscripten ${build.emcc}`,
      compileFlags: [...compileFlags, '-std=c++20'],
      linkFlags,
      correspondingSource: Object.entries(build.archives).map(([name, archive]) => ({
        name,
        version: archive.source.version,
        commit: archive.source.commit,
        url: archive.source.url,
        license: archive.source.license,
        treeHash: archive.source.treeHash,
        ...(archive.source.only ? { only: archive.source.only } : {}),
      })),
      fromDebian: ['librange-v3-dev', 'libstb-dev', 'libboost1.81-dev'],
      patches: patchSummary(),
      buildKey: build.key,
      buildStamp: stamp,
    },
  });
  log(
    `engine build: ${manifest.engine} → ${outDir}: ${(manifest.wasmBytes / 1e6).toFixed(2)} MB wasm ` +
      `(${(manifest.wasmGzipBytes / 1e6).toFixed(2)} MB gzip, ${(manifest.wasmBrotliBytes / 1e6).toFixed(2)} MB brotli); ` +
      `${build.cached ? 'compiled earlier (cache)' : `compiled in ${build.seconds.toFixed(0)} s`}, written in ${(performance.now() - started).toFixed(0)} ms`,
  );
  return manifest;
}

/** The engine for the app: 5.13 from source, or the fallback with the reason. */
export async function buildEngine(outDir, { mode = process.env.SLICEPORT_ENGINE ?? 'auto', log = console.log } = {}) {
  if (mode === 'cura-wasm') return buildFallbackEngine(outDir, log);
  try {
    return await buildSourceEngine(outDir, log);
  } catch (error) {
    if (mode === 'source') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    log(`engine build: CuraEngine 5.13 could not be built here: ${reason}`);
    log('engine build: using the fallback engine (CuraEngine of December 2020 from cura-wasm 1.5.2) instead');
    return buildFallbackEngine(outDir, log);
  }
}

function parseArguments(argv) {
  const options = { fallback: false, out: join(repositoryRoot, 'public', 'engine') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--fallback') options.fallback = true;
    else if (argv[i] === '--out' && argv[i + 1]) options.out = resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: node wasm/build-engine.mjs [--fallback] [--out <folder>])`);
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const options = parseArguments(process.argv.slice(2));
    if (options.fallback) buildFallbackEngine(options.out);
    else await buildEngine(options.out);
  } catch (error) {
    console.error(`engine build: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
