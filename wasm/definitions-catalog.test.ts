// The definitions build: bundling and the catalog on small hand-made definitions, and the fallback to the
// 2020 package definitions (with its provenance) when Cura 5.13's cannot be had.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMachine } from '../src/slicer/settings/machine.js';
import { NodeDefinitionSource } from '../src/slicer/settings/node-definition-source.js';
import { SettingStacks } from '../src/slicer/settings/setting-stacks.js';
import { buildOutput, type DefinitionEntry } from './definitions-catalog.mjs';
import { vendorDirectory } from './upstream-sources.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function definitions(entries: Record<string, Record<string, unknown>>): Map<string, DefinitionEntry> {
  return new Map(Object.entries(entries).map(([id, json]) => [id.toLowerCase(), { id, json }]));
}

const base = {
  fdmprinter: { name: 'FDM Printer Base Description', metadata: { setting_version: 27 }, settings: { machine_settings: { type: 'category', children: { machine_width: { type: 'float', default_value: 100 }, machine_depth: { type: 'float', default_value: 100 }, machine_height: { type: 'float', default_value: 100 } } } } },
  fdmextruder: { name: 'Extruder', metadata: { type: 'extruder', position: '0' }, settings: {} },
};

describe('bundles and catalog', () => {
  it('puts machines sharing a parent or an extruder in one bundle, each file once', () => {
    const files = definitions({
      ...base,
      brand_base: { name: 'Brand', inherits: 'fdmprinter', metadata: { manufacturer: 'BRAND', machine_extruder_trains: { '0': 'Brand_Extruder' } } },
      brand_one: { name: 'Brand One', inherits: 'brand_base', metadata: { visible: true }, overrides: { machine_width: { default_value: 220 } } },
      brand_two: { name: 'Brand Two', inherits: 'brand_base', metadata: { visible: true, manufacturer: 'Brand' } },
      brand_extruder: { name: 'E', inherits: 'fdmextruder', metadata: { position: '0' } },
      lonely: { name: 'Lonely', inherits: 'fdmprinter', metadata: { visible: true, machine_extruder_trains: { '0': 'shared_extruder' } } },
      other: { name: 'Other', inherits: 'fdmprinter', metadata: { visible: true, machine_extruder_trains: { '0': 'shared_extruder' } } },
      shared_extruder: { name: 'S', inherits: 'fdmextruder', metadata: { position: '0' } },
    });
    const { catalog, bundles, unbundled } = buildOutput(files, { package: 'test', version: '1' });
    expect(Object.fromEntries(Object.entries(catalog.bundles))).toEqual({
      brand_base: 'brand_base',
      brand_extruder: 'brand_base',
      brand_one: 'brand_base',
      brand_two: 'brand_base',
      fdmextruder: 'fdm',
      fdmprinter: 'fdm',
      // Two families sharing an extruder become one bundle, named after the first machine's family.
      lonely: 'lonely',
      other: 'lonely',
      shared_extruder: 'lonely',
    });
    expect([...bundles.keys()].sort()).toEqual(['brand_base', 'fdm', 'lonely']);
    expect(unbundled).toEqual([]);
    const one = catalog.machines.find((machine) => machine.id === 'brand_one');
    // The most common spelling of the maker wins ("BRAND" twice, "Brand" once).
    expect(one).toMatchObject({ name: 'Brand One', manufacturer: 'BRAND', width: 220, depth: 100, concrete: true });
    expect(catalog.machines.find((machine) => machine.id === 'brand_two')?.manufacturer).toBe('BRAND');
    expect(catalog.machines.find((machine) => machine.id === 'brand_base')?.concrete).toBe(false);
    expect(catalog.source).toEqual({ package: 'test', version: '1', settingVersion: 27 });
  });
});

function build(args: string[], env: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'sliceport-definitions-'));
  const run = spawnSync(process.execPath, ['wasm/build-definitions.mjs', '--out', out, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { out, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('fallback to the 2020 package definitions', () => {
  it('is used, and said, when the pinned archive is not the pinned one', () => {
    const vendor = mkdtempSync(join(tmpdir(), 'sliceport-vendor-'));
    writeFileSync(join(vendor, 'cura-resources-5.13.0.tar.gz'), 'not the archive');
    const run = build(['--no-download'], { SLICEPORT_VENDOR_DIR: vendor });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('FALLING BACK to the 2020 definitions of cura-wasm-definitions');
    const catalog = JSON.parse(readFileSync(join(run.out, 'catalog.json'), 'utf8'));
    expect(catalog.source).toMatchObject({ package: 'cura-wasm-definitions', version: '1.5.1', settingVersion: 16, fallback: true });
    expect(catalog.source.reason).toContain('is not the pinned archive');
  }, 60_000);

  // Needs the pinned Cura archive in the vendor folder, so that the engine is the only reason to fall back.
  const vendor = vendorDirectory();
  it.runIf(vendor !== null && existsSync(join(vendor, 'cura-resources-5.13.0.tar.gz')))('is used, and said, when the engine to ship reads the 2020 settings', () => {
    const engine = mkdtempSync(join(tmpdir(), 'sliceport-engine-'));
    writeFileSync(join(engine, 'engine.json'), JSON.stringify({ engine: 'CuraEngine master 2020-12 from cura-wasm 1.5.2', settingVersion: 16 }));
    const run = build(['--engine', engine]);
    expect(run.status).toBe(0);
    const catalog = JSON.parse(readFileSync(join(run.out, 'catalog.json'), 'utf8'));
    expect(catalog.source).toMatchObject({ package: 'cura-wasm-definitions', settingVersion: 16, fallback: true });
    expect(catalog.source.reason).toBe(
      'the engine built into public/engine (CuraEngine master 2020-12 from cura-wasm 1.5.2) reads setting_version 16, not Cura 5.13\'s 27',
    );
  }, 60_000);

  it('builds the 2020 catalog that resolves as before', async () => {
    const run = build(['--fallback']);
    expect(run.status).toBe(0);
    const catalog = JSON.parse(readFileSync(join(run.out, 'catalog.json'), 'utf8'));
    expect(catalog.settingVersion).toBe(16);
    expect(catalog.machines.length).toBe(338);
    expect(catalog.machines.filter((machine: { concrete: boolean }) => machine.concrete).length).toBe(312);
    expect(readdirSync(run.out).length).toBe(new Set(Object.values(catalog.bundles)).size + 1);
    const source = new NodeDefinitionSource(run.out);
    const stacks = new SettingStacks(await loadMachine(source, 'creality_ender3'));
    expect(stacks.value(0, 'infill_line_distance')).toBe(6); // 0.4 × 100 / 20 × 3 (cubic)
    expect((await loadMachine(source, '101Hero')).extruders[0].id).toBe('101hero_extruder_0');
  }, 60_000);
});
