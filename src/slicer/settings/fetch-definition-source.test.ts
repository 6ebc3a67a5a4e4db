import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { definitionFileName, DefinitionNotFoundError } from './definition-files.js';
import { FetchDefinitionSource } from './fetch-definition-source.js';
import { loadMachine } from './machine.js';
import { builtDefinitionsDir, NodeDefinitionSource } from './node-definition-source.js';
import { SettingStacks } from './setting-stacks.js';

// The browser path: the built catalog and bundles fetched by URL, as the app serves them.
function serveDefinitions(status = (_name: string) => 200): string[] {
  const dir = builtDefinitionsDir();
  const requested: string[] = [];
  vi.stubGlobal('fetch', async (input: URL | string) => {
    const name = String(input).split('/').pop() as string;
    requested.push(name);
    if (status(name) !== 200) return new Response('unavailable', { status: status(name) });
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
  it('loads a machine by URL: its family bundle and the shared one, once each, whatever the case of the id', async () => {
    const requested = serveDefinitions();
    const source = new FetchDefinitionSource('http://localhost/definitions/');
    const machine = await loadMachine(source, '101Hero');
    expect(machine.extruders[0].id).toBe('101hero_extruder_0');
    const bundles = (await source.catalog()).bundles;
    expect(requested).toEqual(['catalog.json', `${bundles['101hero']}.json`, 'fdm.json']);
    await loadMachine(source, '101hero');
    expect(requested).toHaveLength(3);
    // Another machine of a loaded family needs no new request.
    await loadMachine(source, 'creality_ender3');
    expect(requested).toHaveLength(4);
    await loadMachine(source, 'creality_ender3v3se');
    expect(requested).toHaveLength(4);
  });

  it('resolves exactly as the Node source does', async () => {
    serveDefinitions();
    const viaFetch = new SettingStacks(await loadMachine(new FetchDefinitionSource('http://localhost/definitions/'), 'ultimaker_s5'));
    const viaFiles = new SettingStacks(await loadMachine(new NodeDefinitionSource(), 'ultimaker_s5'));
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

  it('reports a bundle that cannot be fetched, and asks for it again next time', async () => {
    const requested = serveDefinitions((name) => (name === 'creality_base.json' ? 503 : 200));
    const source = new FetchDefinitionSource('http://localhost/definitions/');
    await expect(loadMachine(source, 'creality_ender3')).rejects.toThrow(/its bundle creality_base\.json could not be loaded: Could not load creality_base\.json: HTTP 503/);
    await expect(loadMachine(source, 'creality_ender3')).rejects.toThrow(DefinitionNotFoundError);
    expect(requested.filter((name) => name === 'creality_base.json')).toHaveLength(2);
  });
});
