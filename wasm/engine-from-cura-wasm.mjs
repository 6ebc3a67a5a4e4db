// The fallback engine: CuraEngine of December 2020 (setting_version 16) as the npm package `cura-wasm`
// 1.5.2 ships it, used when CuraEngine 5.13 cannot be built here (no toolchain, no sources). Takes the
// WebAssembly out of the package as a real `.wasm` file (so the browser compiles it with compileStreaming
// and the service worker precaches it) and the Emscripten glue as a small ES module without the base64
// copy of the binary and without `eval`, so the app runs under a strict Content Security Policy.
//
// No wasm-opt pass: binaryen's -O2/-O3 on this binary (already optimised by Emscripten) saved 0.9 % of
// its size and no measurable slicing time (3DBenchy in Node: within run-to-run noise).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from './upstream-sources.mjs';

const require = createRequire(import.meta.url);

function packageFile(relative) {
  const packageJson = require.resolve('cura-wasm/package.json', { paths: [repositoryRoot] });
  return join(dirname(packageJson), relative);
}

export const fallbackEngineName = 'CuraEngine master 2020-12 from cura-wasm 1.5.2';

/** What identifies the package build: changes when the package or this file changes. */
export function curaWasmStamp() {
  const sourcePath = packageFile('src/CuraEngine.js');
  const sourceStat = statSync(sourcePath);
  const version = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')).version;
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(`${sourceStat.size}:${sourceVersionTag(version)}`)
    .digest('hex');
}

const sourceVersionTag = (version) => `cura-wasm@${version}`;

/**
 * Extracts the engine from the package. Returns `{ wasm: Buffer, glue: string, manifest: object }` or throws
 * with a plain message when the package is not what we expect.
 */
export function extractCuraWasmEngine() {
  const sourcePath = packageFile('src/CuraEngine.js');
  const sourceVersion = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')).version;
  const source = readFileSync(sourcePath, 'utf8');
  const fail = (message) => {
    throw new Error(`${message} (node_modules/cura-wasm/src/CuraEngine.js)`);
  };

  // 1. The binary: the one data URI in the file.
  const dataUriPattern = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/g;
  const dataUris = [...source.matchAll(dataUriPattern)];
  if (dataUris.length !== 1) fail(`expected one inlined wasm binary, found ${dataUris.length}`);
  const wasm = Buffer.from(dataUris[0][1], 'base64');
  if (wasm.readUInt32LE(0) !== 0x6d736100) fail('the inlined data is not a WebAssembly binary');

  // 2. The glue, patched. Each patch must apply exactly once, or the package changed under us.
  let glue = source.replace(dataUris[0][0], '"cura-engine.wasm"');
  const patches = [
    {
      why: 'route emscripten_run_script to a host function instead of eval',
      from: 'function _emscripten_run_script(ptr){eval(UTF8ToString(ptr))}',
      to: 'function _emscripten_run_script(ptr){Module["runScript"](UTF8ToString(ptr))}',
    },
    {
      why: 'no environment sniffing: the host supplies the wasm, output and exit handling (in Node the glue would call process.exit and install process-wide handlers)',
      from:
        'ENVIRONMENT_IS_WEB=typeof window==="object";ENVIRONMENT_IS_WORKER=typeof importScripts==="function";ENVIRONMENT_IS_NODE=typeof process==="object"&&typeof process.versions==="object"&&typeof process.versions.node==="string";ENVIRONMENT_IS_SHELL=!ENVIRONMENT_IS_WEB&&!ENVIRONMENT_IS_NODE&&!ENVIRONMENT_IS_WORKER;',
      to: 'ENVIRONMENT_IS_WEB=false;ENVIRONMENT_IS_WORKER=false;ENVIRONMENT_IS_NODE=false;ENVIRONMENT_IS_SHELL=false;',
    },
    {
      why: 'a host-chosen heap ceiling, and a signal when the heap cannot grow (out of memory)',
      from: 'var maxHeapSize=2147483648;if(requestedSize>maxHeapSize){return false}',
      to: 'var maxHeapSize=Module["maxHeapBytes"]||2147483648;if(requestedSize>maxHeapSize){if(Module["onHeapExhausted"])Module["onHeapExhausted"](requestedSize);return false}',
    },
    {
      why: 'signal a failed heap growth below the ceiling too',
      from: 'var replacement=emscripten_realloc_buffer(newSize);if(replacement){return true}}return false}',
      to: 'var replacement=emscripten_realloc_buffer(newSize);if(replacement){return true}}if(Module["onHeapExhausted"])Module["onHeapExhausted"](requestedSize);return false}',
    },
    {
      why: 'a sign of life from inside the engine: big memory copies happen all through a slice, also in phases without progress calls',
      from: 'function _emscripten_memcpy_big(dest,src,num){HEAPU8.copyWithin(dest,src,src+num)}',
      to: 'function _emscripten_memcpy_big(dest,src,num){if(Module["onBusy"])Module["onBusy"]();HEAPU8.copyWithin(dest,src,src+num)}',
    },
    {
      why: 'a sign of life when the heap grows',
      from: 'function _emscripten_resize_heap(requestedSize){',
      to: 'function _emscripten_resize_heap(requestedSize){if(Module["onBusy"])Module["onBusy"]();',
    },
    {
      why: 'no document/__filename probing at import time',
      from:
        "var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;\n  if (typeof __filename !== 'undefined') _scriptDir = _scriptDir || __filename;",
      to: 'var _scriptDir = undefined;',
    },
  ];
  for (const patch of patches) {
    const count = glue.split(patch.from).length - 1;
    if (count !== 1) fail(`patch "${patch.why}" matched ${count} times`);
    glue = glue.replace(patch.from, () => patch.to);
  }
  if (/base64,[A-Za-z0-9+/]{100}/.test(glue)) fail('the glue still contains inlined binary data');

  glue =
    '// Generated by wasm/build-engine.mjs from cura-wasm ' +
    sourceVersion +
    ' (CuraEngine, AGPL-3.0-or-later). Do not edit.\n' +
    '// The Emscripten glue with the inlined binary removed and eval replaced by Module.runScript.\n' +
    glue;

  return {
    wasm,
    glue,
    manifest: {
      engine: fallbackEngineName,
      engineName: 'CuraEngine',
      engineVersion: 'master 2020-12',
      settingVersion: 16,
      builtFromSource: false,
      kind: 'cura-wasm-2020',
      source: sourceVersionTag(sourceVersion),
      license: 'AGPL-3.0-or-later',
      correspondingSource: [
        { name: 'cura-wasm', version: sourceVersion, url: `https://registry.npmjs.org/cura-wasm/-/cura-wasm-${sourceVersion}.tgz` },
        { name: 'cura-wasm (repository)', url: 'https://github.com/Cloud-CNC/cura-wasm' },
      ],
    },
  };
}
