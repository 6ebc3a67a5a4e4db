import { describe, expect, it } from 'vitest';
import { aboutFactsFrom } from './about-facts.js';
import { describeCatalog } from './catalog-provenance.js';
import { provenanceLines } from './gcode-header.js';

const engineJson = {
  engine: 'CuraEngine 5.13.0',
  builtFromSource: true,
  toolchain: 'Emscripten 3.1.6',
  correspondingSource: [
    { name: 'curaengine', version: '5.13.0', commit: '636f9608621fd1d6c1b75ad2a969de53beabfbc6', url: 'https://github.com/Ultimaker/CuraEngine/archive/refs/tags/5.13.0.tar.gz' },
    { name: 'bad', url: 'javascript:alert(1)' },
  ],
  recipe: [
    { path: 'wasm/engine-patches.mjs', served: 'recipe/engine-patches.mjs.txt' },
    { path: 'x', served: '../../etc/passwd' },
  ],
  patches: [{ source: 'curaengine', file: 'src/utils/MeshUtils.cpp', why: 'setjmp apart from C++ cleanups' }],
};
const catalogJson = {
  settingVersion: 27,
  source: { package: 'Cura resources', version: '5.13.0', commit: '1fb8a7610460e03ec62da950d1c173a249b23b59' },
};

describe('About: the engine and the catalog', () => {
  it('names the engine, its build, the catalog and the corresponding source', () => {
    const facts = aboutFactsFrom(engineJson, catalogJson, 'https://app.example/engine/');
    expect(facts).toEqual({
      engine: 'CuraEngine 5.13.0',
      build: 'built from source with Emscripten 3.1.6, single-threaded WebAssembly',
      catalog: 'Cura resources 5.13.0 (setting_version 27, commit 1fb8a76104)',
      sources: [{ label: 'curaengine 5.13.0 (636f960862)', url: 'https://github.com/Ultimaker/CuraEngine/archive/refs/tags/5.13.0.tar.gz' }],
      recipe: [{ label: 'wasm/engine-patches.mjs', url: 'https://app.example/engine/recipe/engine-patches.mjs.txt' }],
      patches: [{ file: 'curaengine/src/utils/MeshUtils.cpp', why: 'setjmp apart from C++ cleanups' }],
    });
  });

  it('says it is the fallback, and survives missing or odd files', () => {
    expect(aboutFactsFrom({ engine: 'CuraEngine master 2020-12 from cura-wasm 1.5.2' }, null)?.build).toMatch(/fallback/);
    expect(aboutFactsFrom(null, catalogJson)).toBeNull();
    expect(aboutFactsFrom({ engine: 42 }, null)).toBeNull();
    expect(describeCatalog({ format: 1 })).toBeUndefined();
    expect(describeCatalog('nonsense')).toBeUndefined();
  });

  it('writes single-line provenance comments for the G-code header', () => {
    expect(provenanceLines({ engine: 'CuraEngine 5.13.0', catalog: 'Cura resources 5.13.0\n(setting_version 27)' })).toEqual([
      ';Sliceport engine: CuraEngine 5.13.0',
      ';Sliceport catalog: Cura resources 5.13.0 (setting_version 27)',
    ]);
  });
});

describe('engine log lines', () => {
  it('reads CuraEngine 5 spdlog lines as the older plain form', async () => {
    const { plainLogLine } = await import('./slice-job.js');
    expect(plainLogLine('[2026-12-07 19:30:00.123] [info] Starting inset+skin...')).toBe('Starting inset+skin...');
    expect(plainLogLine('\u001b[31m[2026-12-07 19:30:00.123] [error] Slicing failed: vector\u001b[m')).toBe('[ERROR] Slicing failed: vector');
    expect(plainLogLine('[2026-12-07 19:30:00.123] [warning] odd')).toBe('[WARNING] odd');
    expect(plainLogLine('Gcode header after slicing:')).toBe('Gcode header after slicing:');
  });
});
