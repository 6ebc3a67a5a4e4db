// A definition container as Uranium builds one: the settings tree of the root file (fdmprinter or
// fdmextruder) with the `overrides` of every file along the `inherits` chain applied property by
// property, the nearest file winning. An override of a setting the tree does not have is dropped,
// as Cura drops it.
import type { DefinitionFile, SettingJson } from './definition-files.js';

export interface SettingDefinition {
  key: string;
  label: string;
  description: string;
  type: string;
  unit: string;
  options: Readonly<Record<string, string>> | null;
  parent: string | null;
  children: readonly string[];
  /** The top-level category the setting belongs to. */
  category: string;
  depth: number;
  settablePerExtruder: boolean;
  settablePerMesh: boolean;
  /** Every property as merged along the chain (children removed). */
  properties: Readonly<SettingJson>;
}

export interface DefinitionContainer {
  id: string;
  name: string;
  /** The ids along the chain, this definition first, the root last. */
  chain: readonly string[];
  metadata: Readonly<Record<string, unknown>>;
  settings: ReadonlyMap<string, SettingDefinition>;
  /** Keys in tree order (categories first, then their children depth first). */
  order: readonly string[];
  /** Overrides naming a setting the tree does not have (Cura ignores them too). */
  droppedOverrides: readonly { definition: string; key: string }[];
}

interface BaseTree {
  settings: Map<string, SettingDefinition>;
  order: string[];
}

const baseTrees = new WeakMap<DefinitionFile, BaseTree>();

function baseTree(root: DefinitionFile): BaseTree {
  let tree = baseTrees.get(root);
  if (tree) return tree;
  const settings = new Map<string, SettingDefinition>();
  const order: string[] = [];
  const walk = (entries: Record<string, SettingJson>, parent: string | null, category: string, depth: number) => {
    for (const [key, json] of Object.entries(entries)) {
      const { children, ...properties } = json;
      order.push(key);
      settings.set(key, {
        key,
        label: String(json.label ?? key),
        description: String(json.description ?? ''),
        type: String(json.type ?? 'str'),
        unit: String(json.unit ?? ''),
        options: json.options ?? null,
        parent,
        children: Object.keys(children ?? {}),
        category: depth === 0 ? key : category,
        depth,
        settablePerExtruder: json.settable_per_extruder !== false,
        settablePerMesh: json.settable_per_mesh !== false,
        properties,
      });
      if (children) walk(children, key, depth === 0 ? key : category, depth + 1);
    }
  };
  walk(root.settings ?? {}, null, '', 0);
  tree = { settings, order };
  baseTrees.set(root, tree);
  return tree;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Uranium's `_mergeDicts`: nested dictionaries merge, anything else is replaced. */
function deepMerge(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}

/** `files`: the chain, the definition itself first and the root (with `settings`) last. */
export function buildDefinitionContainer(ids: readonly string[], files: readonly DefinitionFile[]): DefinitionContainer {
  const root = files[files.length - 1];
  if (!root.settings) throw new Error(`definition ${ids[0]}: the root of its chain (${ids[ids.length - 1]}) has no settings`);
  const base = baseTree(root);
  const settings = new Map(base.settings);
  const dropped: { definition: string; key: string }[] = [];
  let metadata: Record<string, unknown> = {};
  for (let i = files.length - 1; i >= 0; i -= 1) {
    const file = files[i];
    metadata = deepMerge(metadata, file.metadata ?? {});
    for (const [key, override] of Object.entries(file.overrides ?? {})) {
      const current = settings.get(key);
      if (!current) {
        dropped.push({ definition: ids[i], key });
        continue;
      }
      const { children: _children, ...properties } = override;
      const merged = { ...current.properties, ...properties };
      settings.set(key, {
        ...current,
        label: String(merged.label ?? key),
        description: String(merged.description ?? ''),
        type: String(merged.type ?? 'str'),
        unit: String(merged.unit ?? ''),
        options: merged.options ?? null,
        settablePerExtruder: merged.settable_per_extruder !== false,
        settablePerMesh: merged.settable_per_mesh !== false,
        properties: merged,
      });
    }
  }
  return {
    id: ids[0],
    name: files[0].name ?? ids[0],
    chain: ids,
    metadata,
    settings,
    order: base.order,
    droppedOverrides: dropped,
  };
}
