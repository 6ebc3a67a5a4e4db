import { describe, expect, it } from 'vitest';
import { compactText, searchCatalog } from './catalog-search.js';
import type { CatalogMachine } from './definition-files.js';
import { NodeDefinitionSource } from './node-definition-source.js';

const machine = (id: string, name: string, manufacturer: string): CatalogMachine => ({
  id,
  name,
  manufacturer,
  width: 200,
  depth: 200,
  height: 200,
  shape: 'rectangular',
  originAtCenter: false,
  extruderCount: 1,
  concrete: true,
});

describe('catalog search on a small list', () => {
  const list = [
    machine('maker_a1', 'Maker A1', 'Maker'),
    machine('other_ka1', 'Other KA1', 'Other'),
    machine('other_x', 'Other X (Maker edition)', 'Other'),
  ];

  it('ignores case, spaces, hyphens and punctuation', () => {
    expect(compactText('Ender-3 / Ender-3 v2')).toBe('ender3ender3v2');
    for (const query of ['maker a1', 'MAKER-A1', 'makera1', ' Maker   A-1 ']) {
      expect(searchCatalog(list, query).machines.map((m) => m.id), query).toEqual(['maker_a1']);
    }
  });

  it('ranks names where the words start a word first, then the maker, then the list order', () => {
    expect(searchCatalog(list, 'a1').machines.map((m) => m.id)).toEqual(['maker_a1', 'other_ka1']);
    expect(searchCatalog(list, 'maker').machines.map((m) => m.id)).toEqual(['maker_a1', 'other_x']);
  });

  it('offers the closest printers when none has every word, and nothing for an unknown single word', () => {
    expect(searchCatalog(list, 'Maker Z9')).toEqual({ machines: [list[0], list[2]], partial: true });
    expect(searchCatalog(list, 'Bambu')).toEqual({ machines: [], partial: false });
    expect(searchCatalog(list, '  ').machines).toEqual(list);
    expect(searchCatalog(list, '', 2).machines).toHaveLength(2);
  });
});

const catalog = new NodeDefinitionSource().catalogSync();
const isCura513 = catalog.source.package === 'Cura resources' && catalog.source.version === '5.13.0';

describe.runIf(isCura513)('catalog search on the Cura 5.13 catalog', () => {
  const printers = catalog.machines.filter((m) => m.concrete && m.id !== 'custom');
  const ids = (query: string) => searchCatalog(printers, query, 40).machines.map((m) => m.id);

  it.each([
    ['Ender 3 V2', ['creality_ender3', 'creality_ender3v2neo']],
    ['ender3v2', ['creality_ender3', 'creality_ender3v2neo']],
    ['Ender-3 V2', ['creality_ender3', 'creality_ender3v2neo']],
    ['Ender-3 S1', ['creality_ender3s1', 'creality_ender3s1plus', 'creality_ender3s1pro']],
    ['ender 3 s1 pro', ['creality_ender3s1pro']],
    ['Ender 3 V3', ['creality_ender3v3ke', 'creality_ender3v3se']],
    ['CR-10 S5', ['creality_cr10s5']],
    ['cr10s5', ['creality_cr10s5']],
    ['Prusa MK3', ['prusa_i3_mk3']],
    ['UltiMaker S5', ['ultimaker_s5']],
  ])('"%s" finds %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it('finds brands and model families', () => {
    // "K1": Creality's K1 Max first (the word starts the model name), then the Longer LK1 family.
    expect(ids('K1')).toEqual(['creality_k1max', 'longer_lk1', 'longer_lk1plus', 'longer_lk1pro']);
    expect(ids('Neptune')).toHaveLength(13);
    expect(ids('Neptune').every((id) => id.startsWith('elegoo_neptune'))).toBe(true);
    expect(ids('Kobra')).toEqual([
      'anycubic_kobra',
      'anycubic_kobra2',
      'anycubic_kobra3v2',
      'anycubic_kobra3v2_ace_pro',
      'anycubic_kobra_go',
      'anycubic_kobra_max',
      'anycubic_kobra_plus',
      'anycubic_kobra_s1',
    ]);
    expect(ids('creality').length).toBe(32);
    expect(ids('elegoo')).toContain('elegoo_neptune_2'); // made by "Elegoo", listed with "ELEGOO"
  });

  it('says when a model is not in the catalog and offers the maker’s printers', () => {
    // Cura 5.13 has no Prusa MK4 and no Bambu Lab printer.
    const mk4 = searchCatalog(printers, 'Prusa MK4', 40);
    expect(mk4.partial).toBe(true);
    expect(mk4.machines.slice(0, 4).map((m) => m.id)).toEqual(['prusa_i3', 'prusa_i3_mk2', 'prusa_i3_mk3', 'prusa_i3_xl']);
    expect(searchCatalog(printers, 'Bambu', 40)).toEqual({ machines: [], partial: false });
  });

  it('lists printers grouped by maker when nothing is typed', () => {
    const makers = searchCatalog(printers, '').machines.map((m) => m.manufacturer.toLowerCase());
    const seen = new Set<string>();
    for (let i = 0; i < makers.length; i += 1) {
      if (i > 0 && makers[i] !== makers[i - 1]) expect(seen.has(makers[i]), makers[i]).toBe(false);
      seen.add(makers[i]);
    }
  });
});
