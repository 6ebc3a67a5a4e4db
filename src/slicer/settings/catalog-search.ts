// Finding a printer in the catalog the way people type it: "Ender 3 V2", "ender3v2" and "Ender-3 v2"
// are the same query. Case, spaces, hyphens, slashes and other punctuation do not count; every word of
// the query must appear in the printer's name, maker or id. Printers where the words start a word of the
// name come first ("K1" finds the Creality K1 Max before the Longer LK1), then the catalog's own order
// (maker, then name).
import type { CatalogMachine } from './definition-files.js';

/** Lower case, letters and digits only. */
export function compactText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

interface Indexed {
  machine: CatalogMachine;
  order: number;
  /** Name, maker and id, compacted. */
  haystack: string;
  /** The compacted name, and the offsets where a word of the name starts in it. */
  name: string;
  wordStarts: Set<number>;
  maker: string;
}

function index(machine: CatalogMachine, order: number): Indexed {
  let name = '';
  const wordStarts = new Set<number>();
  // A word starts at every change between letters and digits too: "CR-10S5" has words cr, 10, s, 5.
  for (const word of machine.name.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? []) {
    wordStarts.add(name.length);
    name += compactText(word);
  }
  return { machine, order, haystack: compactText(`${machine.name} ${machine.manufacturer} ${machine.id}`), name, wordStarts, maker: compactText(machine.manufacturer) };
}

const indexes = new WeakMap<readonly CatalogMachine[], Indexed[]>();

/** How well the query's words fit the name: each word found where a name word starts counts. */
function score(entry: Indexed, words: string[], whole: string): number {
  let points = 0;
  const startsAWord = (needle: string) => {
    for (let at = entry.name.indexOf(needle); at >= 0; at = entry.name.indexOf(needle, at + 1)) if (entry.wordStarts.has(at)) return true;
    return false;
  };
  for (const word of words) {
    if (startsAWord(word)) points += 1;
    // The maker's own printers before others naming it ("Prusa" in "Hello Bee Prusa").
    if (entry.maker.startsWith(word)) points += 1;
  }
  if (words.length > 1 && startsAWord(whole)) points += 1;
  return points;
}

export interface CatalogSearchResult {
  machines: CatalogMachine[];
  /**
   * True when no printer has every word, and these are the printers with the most of them (for "Prusa
   * MK4", a model the catalog lacks: the other Prusa printers).
   */
  partial: boolean;
}

/**
 * The printers matching `query` (all of them, in catalog order, for an empty query). `machines` is the
 * list to search, e.g. the catalog's concrete printers.
 */
export function searchCatalog(machines: readonly CatalogMachine[], query: string, limit = Infinity): CatalogSearchResult {
  let entries = indexes.get(machines);
  if (!entries) {
    entries = machines.map(index);
    indexes.set(machines, entries);
  }
  const words = query.split(/\s+/).map(compactText).filter(Boolean);
  if (words.length === 0) return { machines: machines.slice(0, limit), partial: false };
  const whole = words.join('');
  const found: { entry: Indexed; points: number }[] = [];
  const some: { entry: Indexed; points: number }[] = [];
  for (const entry of entries) {
    const present = words.filter((word) => entry.haystack.includes(word)).length;
    if (present === words.length || entry.haystack.includes(whole)) found.push({ entry, points: score(entry, words, whole) });
    else if (present > 0) some.push({ entry, points: present * 10 + score(entry, words, whole) });
  }
  const partial = found.length === 0 && words.length > 1;
  const list = partial ? some : found;
  list.sort((a, b) => b.points - a.points || a.entry.order - b.entry.order);
  return { machines: list.slice(0, limit).map(({ entry }) => entry.machine), partial };
}
