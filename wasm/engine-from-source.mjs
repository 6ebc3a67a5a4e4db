// Builds UltiMaker CuraEngine 5.13.0 to WebAssembly from the pinned upstream sources
// (wasm/upstream-sources.json) with Debian's Emscripten: checks the toolchain, gets and verifies the
// sources, unpacks them, applies our patches (wasm/engine-patches.mjs), writes a Makefile and runs
// `make -j`. Everything happens in a cache folder outside the repository keyed by the sha256 of all inputs,
// so a second build with the same inputs only copies the result.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEnginePatches, enginePatches } from './engine-patches.mjs';
import { cacheDirectory, obtainArchive, pinnedSources, readArchiveFile, unpackArchive } from './upstream-sources.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The pinned sources the engine is compiled from (the catalog's sources are not among them). */
export const engineSourceNames = [
  'curaengine',
  'boost-unordered',
  'boost-core',
  'boost-config',
  'boost-container_hash',
  'boost-mp11',
  'boost-assert',
  'boost-describe',
  'boost-throw_exception',
  'fmt',
  'spdlog',
  'rapidjson',
  'mapbox-wagyu',
  'mapbox-geometry',
  'libpng',
  'zlib',
  'clipper',
];

/** Boost modules of 1.88 laid over Debian's 1.81 headers (Boost.Unordered's concurrent_flat_map needs ≥ 1.83). */
const boostOverlay = engineSourceNames.filter((name) => name.startsWith('boost-'));

/** Debian packages that provide the toolchain and the header-only libraries we take from the system. */
export const debianPackages = ['emscripten', 'librange-v3-dev', 'libstb-dev', 'libboost1.81-dev'];

const systemHeaders = [
  { path: '/usr/include/boost/version.hpp', provider: 'libboost1.81-dev (or libboost-dev ≥ 1.81)' },
  { path: '/usr/include/range/v3/all.hpp', provider: 'librange-v3-dev' },
  { path: '/usr/include/stb/stb_image.h', provider: 'libstb-dev' },
];

export const compileFlags = ['-O3', '-fwasm-exceptions'];
export const linkFlags = [
  '-O3',
  '-fwasm-exceptions',
  '-sALLOW_MEMORY_GROWTH=1',
  '-sMAXIMUM_MEMORY=4GB',
  '-sINITIAL_MEMORY=64MB',
  '-sTOTAL_STACK=8MB',
  '-sINVOKE_RUN=0',
  '-sEXIT_RUNTIME=1',
  '-sMODULARIZE=1',
  '-sEXPORT_ES6=1',
  // The host (our loader) instantiates the wasm and wires output and exit itself, in the browser and in
  // Node alike: without Node's environment code the glue neither reads files nor installs process handlers.
  '-sENVIRONMENT=web,worker',
  '-sEXPORTED_RUNTIME_METHODS=[callMain,FS]',
  '-sFORCE_FILESYSTEM=1',
];

/** Which Emscripten is installed ("3.1.6"), or null. */
export function emccVersion() {
  const result = spawnSync('emcc', ['--version'], { encoding: 'utf8', env: toolEnvironment() });
  if (result.status !== 0) return null;
  return /(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1] ?? null;
}

function toolEnvironment(extra = {}) {
  const nodePath = [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':');
  return { ...process.env, NODE_PATH: nodePath, ...extra };
}

/** What is missing from the toolchain, as plain sentences (empty when all is there). */
export function missingToolchain() {
  const missing = [];
  if (!emccVersion()) missing.push('emcc (Debian package emscripten)');
  for (const header of systemHeaders) if (!existsSync(header.path)) missing.push(`${header.path} (Debian package ${header.provider})`);
  if (spawnSync('make', ['--version']).status !== 0) missing.push('make (Debian package make)');
  return missing;
}

/**
 * Installs the Debian packages when the toolchain is incomplete and we may (root on Debian/Ubuntu with
 * apt-get). Returns what is still missing.
 */
export function ensureToolchain(log) {
  let missing = missingToolchain();
  if (missing.length === 0) return missing;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version']).status === 0;
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const isDebianLike = /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease);
  if (isRoot && hasApt && isDebianLike) {
    log(`installing the toolchain with apt-get: ${debianPackages.join(' ')} make`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    if (update.status === 0) {
      // Distributions without a 1.81 package name get their default Boost (it must be ≥ 1.81).
      const boost = spawnSync('apt-cache', ['show', 'libboost1.81-dev'], { stdio: 'ignore' }).status === 0 ? 'libboost1.81-dev' : 'libboost-dev';
      const packages = [...debianPackages.filter((p) => !p.startsWith('libboost')), boost, 'make'];
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
    }
    missing = missingToolchain();
  }
  return missing;
}

/**
 * The build key: the sha256 of every input of the compiled engine (the sources' tree hashes, our patches and
 * headers, the generated Makefile with its flags and file lists, the compiler, Debian's headers).
 */
export function engineBuildKey(sources, emcc, makefile) {
  const hash = createHash('sha256');
  for (const name of engineSourceNames) hash.update(`${name}:${sources[name].treeHash}\n`);
  for (const file of ['engine-patches.mjs', 'scripta/scripta/logger.h']) hash.update(readFileSync(join(here, file)));
  hash.update(`emcc ${emcc}\n${makefile}\n`);
  for (const header of systemHeaders) hash.update(existsSync(header.path) ? readFileSync(header.path) : '');
  return hash.digest('hex');
}

/** The translation units of `engine_SRCS` in CuraEngine's CMakeLists.txt, without Arcus, protobuf and plugins. */
export function engineTranslationUnits(cmakeLists) {
  const block = /set\(engine_SRCS[^\n]*\n([\s\S]*?)\n\)/.exec(cmakeLists);
  if (!block) throw new Error('engine_SRCS not found in CuraEngine/CMakeLists.txt');
  const units = block[1]
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.endsWith('.cpp'));
  return units.filter((unit) => !/\/Arcus|^src\/plugins\//.test(unit));
}

const libpngUnits = ['png', 'pngerror', 'pngget', 'pngmem', 'pngpread', 'pngread', 'pngrio', 'pngrtran', 'pngrutil', 'pngset', 'pngtrans', 'pngwio', 'pngwrite', 'pngwtran', 'pngwutil'];
const zlibUnits = ['adler32', 'compress', 'crc32', 'deflate', 'gzclose', 'gzlib', 'gzread', 'gzwrite', 'infback', 'inffast', 'inflate', 'inftrees', 'trees', 'uncompr', 'zutil'];
// async.cpp too: registry.cpp's periodic flusher (details::periodic_worker) is compiled there.
const spdlogUnits = ['spdlog', 'stdout_sinks', 'color_sinks', 'file_sinks', 'cfg', 'async'];

/** The Makefile: one rule per object, the link, nothing else. Paths are relative to the build folder. */
export function engineMakefile(units, source) {
  const includes = [
    'src/curaengine/include',
    'include-ours',
    ...boostOverlay.map((name) => `src/${name}/include`),
    'src/fmt/include',
    'src/spdlog/include',
    'src/rapidjson/include',
    'src/mapbox-wagyu/include',
    'src/mapbox-geometry/include',
    'src/libpng',
    'src/zlib',
    'include-debian',
    '/usr/include/stb',
  ];
  const definitions = [
    `-DCURA_ENGINE_VERSION='"${source.version}"'`,
    `-DCURA_ENGINE_HASH='"${source.commit}"'`,
    `-DVERSION='"${source.version}"'`,
    "-DSENTRY_ENVIRONMENT='\"\"'",
    '-DNDEBUG',
    '-DSPDLOG_FMT_EXTERNAL',
    '-DSPDLOG_COMPILED_LIB',
  ];
  const objects = [];
  const rules = [];
  const add = (sourcePath, object, compiler, flags) => {
    objects.push(object);
    rules.push(`${object}: ${sourcePath}\n\t@mkdir -p $(@D)\n\t@echo "compile ${sourcePath}"\n\t@${compiler} ${flags} -c $< -o $@`);
  };
  for (const unit of [...units, 'src/main.cpp']) add(`src/curaengine/${unit}`, `obj/curaengine/${unit.replace(/\.cpp$/, '.o')}`, '$(CXX)', '$(CXXFLAGS)');
  add('src/fmt/src/format.cc', 'obj/fmt/format.o', '$(CXX)', '$(CXXFLAGS)');
  for (const unit of spdlogUnits) add(`src/spdlog/src/${unit}.cpp`, `obj/spdlog/${unit}.o`, '$(CXX)', '$(CXXFLAGS)');
  add('src/clipper/libs/clipper/clipper.cpp', 'obj/clipper/clipper.o', '$(CXX)', '$(CXXFLAGS)');
  for (const unit of libpngUnits) add(`src/libpng/${unit}.c`, `obj/libpng/${unit}.o`, '$(CC)', '$(CFLAGS)');
  for (const unit of zlibUnits) add(`src/zlib/${unit}.c`, `obj/zlib/${unit}.o`, '$(CC)', '$(CFLAGS) -DHAVE_UNISTD_H');
  return [
    '# Generated by wasm/engine-from-source.mjs. Do not edit.',
    'CXX = em++',
    'CC = emcc',
    `CXXFLAGS = ${compileFlags.join(' ')} -std=c++20 ${definitions.join(' ')} ${includes.map((i) => `-I${i}`).join(' ')}`,
    `CFLAGS = ${compileFlags.join(' ')} -Isrc/zlib -Isrc/libpng`,
    `LDFLAGS = ${linkFlags.join(' ')}`,
    `OBJECTS = ${objects.join(' \\\n  ')}`,
    '',
    'out/cura-engine.js: $(OBJECTS)',
    '\t@mkdir -p out',
    '\t@echo "link out/cura-engine.js"',
    '\t@$(CXX) $(LDFLAGS) $(OBJECTS) -o $@',
    '',
    ...rules,
    '',
  ].join('\n');
}

/** Unpacks, patches and lays out the sources of the build in `buildDir`. */
function prepareSources(buildDir, archives, log) {
  const srcDir = join(buildDir, 'src');
  rmSync(srcDir, { recursive: true, force: true });
  for (const name of engineSourceNames) {
    const archive = archives[name];
    const files = unpackArchive(archive.path, join(srcDir, name), { only: archive.source.only });
    applyEnginePatches(name, join(srcDir, name), { readFileSync, writeFileSync });
    log(`  ${name} ${archive.source.version}: ${files} files (${archive.origin})`);
  }
  // libpng's build configuration: the prebuilt default, as libpng's own builds do.
  cpSync(join(srcDir, 'libpng/scripts/pnglibconf.h.prebuilt'), join(srcDir, 'libpng/pnglibconf.h'));
  // Headers of ours: scripta (no-op), and clipper under the name CuraEngine includes (<polyclipping/clipper.hpp>).
  const ours = join(buildDir, 'include-ours');
  rmSync(ours, { recursive: true, force: true });
  cpSync(join(here, 'scripta'), ours, { recursive: true });
  mkdirSync(join(ours, 'polyclipping'), { recursive: true });
  cpSync(join(srcDir, 'clipper/libs/clipper/clipper.hpp'), join(ours, 'polyclipping/clipper.hpp'));
  // Debian's header-only libraries, without putting all of /usr/include on the include path.
  const debian = join(buildDir, 'include-debian');
  rmSync(debian, { recursive: true, force: true });
  mkdirSync(debian, { recursive: true });
  for (const name of ['boost', 'range', 'meta', 'concepts', 'std']) {
    if (existsSync(`/usr/include/${name}`)) symlinkSync(`/usr/include/${name}`, join(debian, name));
  }
}

/**
 * Builds the engine (or finds it in the cache). Returns `{ wasm, glue, key, cached, seconds, sources }` with
 * the paths of the linked output, or throws with a plain message.
 */
export async function buildEngineFromSource({ log = console.log, jobs } = {}) {
  const started = performance.now();
  const missing = ensureToolchain(log);
  if (missing.length > 0) {
    const error = new Error(
      `the toolchain for building CuraEngine is incomplete; missing: ${missing.join('; ')}. ` +
        `On Debian or Ubuntu install it with: sudo apt-get install ${debianPackages.join(' ')} make`,
    );
    error.code = 'toolchain-missing';
    throw error;
  }
  const emcc = emccVersion();
  const pins = pinnedSources();
  const archives = {};
  for (const name of engineSourceNames) archives[name] = await obtainArchive(name, { log });

  // The Makefile depends only on CMakeLists.txt's list of units, read straight from the verified archive.
  const cmakeLists = readArchiveFile(archives.curaengine.path, 'CMakeLists.txt');
  const makefile = engineMakefile(engineTranslationUnits(cmakeLists), pins.curaengine);
  const key = engineBuildKey(pins, emcc, makefile);
  const cacheRoot = cacheDirectory();
  const buildDir = join(cacheRoot, `engine-${key.slice(0, 24)}`);
  const output = { wasm: join(buildDir, 'out/cura-engine.wasm'), glue: join(buildDir, 'out/cura-engine.js') };
  const doneStamp = join(buildDir, 'done');
  if (existsSync(doneStamp) && existsSync(output.wasm) && existsSync(output.glue)) {
    return { ...output, key, cached: true, seconds: (performance.now() - started) / 1000, archives, emcc };
  }

  log(`engine build: compiling CuraEngine ${pins.curaengine.version} with Emscripten ${emcc} in ${buildDir}`);
  mkdirSync(buildDir, { recursive: true });
  // An interrupted build resumes: the sources are unpacked once per key, make redoes only missing objects.
  const preparedStamp = join(buildDir, 'sources-prepared');
  if (!existsSync(preparedStamp)) {
    prepareSources(buildDir, archives, log);
    writeFileSync(preparedStamp, `${new Date().toISOString()}\n`);
  }
  writeFileSync(join(buildDir, 'Makefile'), makefile);
  const emCache = join(cacheRoot, `emscripten-cache-${emcc}`);
  mkdirSync(emCache, { recursive: true });
  const make = spawnSync('make', [`-j${jobs ?? availableParallelism()}`], {
    cwd: buildDir,
    stdio: 'inherit',
    // Debian freezes Emscripten's own cache (under /usr/share); ours is writable and outside the repository.
    env: toolEnvironment({ EM_CACHE: emCache, EM_FROZEN_CACHE: '' }),
  });
  if (make.status !== 0) throw new Error(`compiling the engine failed (make exited with ${make.status}); see the output above (${buildDir})`);
  writeFileSync(doneStamp, `${new Date().toISOString()}\n`);
  return { ...output, key, cached: false, seconds: (performance.now() - started) / 1000, archives, emcc };
}

/** Our patches as shown in engine.json and the About section (file and reason). */
export function patchSummary() {
  return enginePatches.map((patch) => ({ source: patch.source, file: patch.file, why: patch.why }));
}

