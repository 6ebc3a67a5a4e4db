// The generated engine (wasm/build-engine.mjs): a real wasm file, a glue module a strict CSP accepts, its
// compressed copies, and an engine.json that names the engine truthfully (CuraEngine 5.13.0 built from
// source wherever the toolchain is installed; the cura-wasm fallback otherwise).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { missingToolchain } from './engine-from-source.mjs';
import { repositoryRoot } from './node-engine.js';

const engineDir = join(repositoryRoot, 'public', 'engine');
const manifest = JSON.parse(readFileSync(join(engineDir, 'engine.json'), 'utf8')) as Record<string, unknown>;

describe('engine build', () => {
  it('writes the wasm as a binary file, with identical .gz and .br copies', () => {
    const wasm = readFileSync(join(engineDir, 'cura-engine.wasm'));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    expect(WebAssembly.validate(wasm)).toBe(true);
    expect(manifest.wasmBytes).toBe(wasm.length);
    expect(gunzipSync(readFileSync(join(engineDir, 'cura-engine.wasm.gz'))).equals(wasm)).toBe(true);
    expect(brotliDecompressSync(readFileSync(join(engineDir, 'cura-engine.wasm.br'))).equals(wasm)).toBe(true);
    const glue = readFileSync(join(engineDir, 'cura-engine.glue.js'));
    expect(brotliDecompressSync(readFileSync(join(engineDir, 'cura-engine.glue.js.br'))).equals(glue)).toBe(true);
  });

  it('writes glue without the inlined binary, eval or new Function, routing scripts to the host', () => {
    const glue = readFileSync(join(engineDir, 'cura-engine.glue.js'), 'utf8');
    expect(glue.length).toBeLessThan(200_000);
    expect(glue).not.toMatch(/base64,[A-Za-z0-9+/]{100}/);
    expect(glue).not.toMatch(/\beval\s*\(/);
    expect(glue).not.toMatch(/new\s+Function\s*\(/);
    expect(glue).toContain('Module["runScript"](UTF8ToString(ptr))');
    expect(glue).toMatch(/if\(Module\["onBusy"\]\)Module\["onBusy"\]\(\);HEAPU8\.copyWithin/);
    expect(glue).toMatch(/ENVIRONMENT_IS_NODE=false;/);
  });

  it('names CuraEngine 5.13.0 built from source when the toolchain is here', (context) => {
    const missing = missingToolchain();
    if (missing.length > 0) {
      context.skip(`no toolchain to build CuraEngine 5.13 (${missing.join('; ')}): the fallback is expected`);
      return;
    }
    expect(manifest).toMatchObject({ engine: 'CuraEngine 5.13.0', engineVersion: '5.13.0', builtFromSource: true, kind: 'curaengine-5', settingVersion: 27 });
    const sources = manifest.correspondingSource as { name: string; url: string; treeHash: string }[];
    expect(sources.find((source) => source.name === 'curaengine')).toMatchObject({
      url: 'https://github.com/Ultimaker/CuraEngine/archive/refs/tags/5.13.0.tar.gz',
      treeHash: '1b89bd4c7a7505535dcc2e5bc42af8db94023e0845c4065ff309cfc155243239',
    });
    // Our recipe is served beside the engine, so the app can offer its corresponding source.
    for (const entry of manifest.recipe as { path: string; served: string }[]) {
      expect(readFileSync(join(engineDir, entry.served), 'utf8')).toBe(readFileSync(join(repositoryRoot, entry.path), 'utf8'));
    }
    // The wasm holds the engine's own version string.
    expect(readFileSync(join(engineDir, 'cura-engine.wasm')).includes(Buffer.from('Cura_SteamEngine 5.13.0'))).toBe(true);
  });

  it('a second build with the same inputs is served from the cache and changes nothing', () => {
    const before = readFileSync(join(engineDir, 'engine.json'), 'utf8');
    const run = spawnSync(process.execPath, [join(repositoryRoot, 'wasm', 'build-engine.mjs')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/up to date/);
    expect(readFileSync(join(engineDir, 'engine.json'), 'utf8')).toBe(before);
    expect(existsSync(join(engineDir, 'cura-engine.wasm'))).toBe(true);
  });
});
