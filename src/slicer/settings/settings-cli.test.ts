// The command-line inspector: `npm run -s settings -- --machine <id> [--changes file]`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');

function cli(...args: string[]) {
  const run = spawnSync(tsx, ['scripts/settings-cli.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface Dump {
  machine: string;
  global: Record<string, { value: unknown; enabled: boolean }>;
  extruders: Record<string, Record<string, { value: unknown; enabled: boolean }>>;
}

describe('settings command line', () => {
  it('prints every setting of a printer with the changes applied, as one JSON object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sliceport-settings-'));
    const changes = join(dir, 'changes.json');
    writeFileSync(changes, JSON.stringify({ global: { layer_height: 0.12 }, extruders: { '0': { infill_sparse_density: 40 } } }));
    const run = cli('--machine', 'creality_ender3', '--changes', changes);
    expect(run.status).toBe(0);
    const dump = JSON.parse(run.stdout) as Dump;
    expect(Object.keys(dump)).toEqual(['machine', 'global', 'extruders']);
    expect(dump.machine).toBe('creality_ender3');
    expect(Object.keys(dump.global).length).toBeGreaterThan(500);
    expect(dump.global.layer_height).toEqual({ value: 0.12, enabled: true });
    expect(dump.extruders['0'].infill_line_distance).toEqual({ value: 3, enabled: true });
    expect(dump.global.support_angle.enabled).toBe(false);
  }, 60_000);

  it('lists both extruders of a dual printer', () => {
    const run = cli('--machine', 'ultimaker3');
    expect(run.status).toBe(0);
    expect(Object.keys((JSON.parse(run.stdout) as Dump).extruders)).toEqual(['0', '1']);
  }, 60_000);

  it('explains bad input on stderr and prints nothing on stdout', () => {
    const unknown = cli('--machine', 'no_such_printer');
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('The printer definition "no_such_printer" was not found.');
    const dir = mkdtempSync(join(tmpdir(), 'sliceport-settings-'));
    const changes = join(dir, 'changes.json');
    writeFileSync(changes, JSON.stringify({ global: { layer_height: 'thin' } }));
    const bad = cli('--machine', 'creality_ender3', '--changes', changes);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('Layer Height needs a number, not "thin".');
    expect(cli().stderr).toContain('usage');
  }, 60_000);
});
