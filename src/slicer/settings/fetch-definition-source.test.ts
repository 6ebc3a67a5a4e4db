import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { definitionFileName, DefinitionNotFoundError } from './definition-files.js';
import { FetchDefinitionSource } from './fetch-definition-source.js';
import { loadMachine } from './machine.js';
import { NodeDefinitionSource, packagedDefinitionsDir } from './node-definition-source.js';
import { SettingStacks } from './setting-stacks.js';

// The browser path: definitions fetched by URL as the app serves them (lower-case file names).
function serveDefinitions(): string[] {
  const dir = packagedDefinitionsDir();
  const requested: string[] = [];
  const catalog = JSON.stringify({ settingVersion: 16, machines: [] });
  vi.stubGlobal('fetch', async (input: URL | string) => {
    const name = String(input).split('/').pop() as string;
    requested.push(name);
    if (name === 'catalog.json') return new Response(catalog);
    try {
      return new Response(readFileSync(join(dir, name), 'utf8'));
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  return requested;
}

afterEach(() => vi.unstubAllGlobals());

describe('FetchDefinitionSource', () => {
  it('loads a machine by URL, finding mixed-case ids under their lower-case files, once each', async () => {
    const requested = serveDefinitions();
    const source = new FetchDefinitionSource('http://localhost/definitions/');
    const machine = await loadMachine(source, '101Hero');
    expect(machine.extruders[0].id).toBe('101hero_extruder_0');
    expect(requested).toEqual(['101hero.def.json', 'fdmprinter.def.json', '101hero_extruder_0.def.json', 'fdmextruder.def.json']);
    await loadMachine(source, '101hero');
    expect(requested).toHaveLength(4);
  });

  it('resolves exactly as the Node source does', async () => {
    serveDefinitions();
    const viaFetch = new SettingStacks(await loadMachine(new FetchDefinitionSource('http://localhost/definitions/'), 'creality_ender3'));
    const viaFiles = new SettingStacks(await loadMachine(new NodeDefinitionSource(), 'creality_ender3'));
    const dump = (stacks: SettingStacks) => stacks.resolveAll().map((s) => [...s.settings].map(([k, v]) => [k, v.value]));
    expect(dump(viaFetch)).toEqual(dump(viaFiles));
  });

  it('reports a missing printer in plain words, and retries later', async () => {
    serveDefinitions();
    const source = new FetchDefinitionSource('http://localhost/definitions/');
    await expect(loadMachine(source, 'no_such_printer')).rejects.toThrow(DefinitionNotFoundError);
    await expect(loadMachine(source, 'no_such_printer')).rejects.toThrow('The printer definition "no_such_printer" was not found.');
    expect(definitionFileName('Ultimaker_Original')).toBe('ultimaker_original.def.json');
  });
});
