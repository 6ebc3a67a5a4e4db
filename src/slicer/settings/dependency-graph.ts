// Which settings read which, from the formulas' syntax trees. Two kinds of edges from a setting K:
// value readers (a `value`, `resolve` or `limit_to_extruder` formula reads K, so their value may
// change, and so may everything reading them) and property readers (an `enabled`, bound or warning
// formula reads K: only that property needs recomputing).
import type { Formula } from '../expression/formula.js';
import type { Machine } from './machine.js';
import { functionProperties, rawOf, type FunctionProperty } from './setting-containers.js';

const valueShaping = new Set<FunctionProperty>(['value', 'resolve', 'limit_to_extruder']);
const graphs = new WeakMap<Machine, DependencyGraph>();

export class DependencyGraph {
  private constructor(
    private readonly valueReaders: Map<string, Set<string>>,
    private readonly propertyReaderLists: Map<string, { key: string; property: FunctionProperty }[]>,
  ) {}

  /** The graph of a machine's definitions, built once per machine. */
  static forMachine(machine: Machine, keys: ReadonlySet<string>): DependencyGraph {
    let graph = graphs.get(machine);
    if (!graph) {
      graph = new DependencyGraph(new Map(), new Map());
      for (const definition of [machine.definition, ...machine.extruders]) {
        for (const setting of definition.settings.values()) {
          for (const property of functionProperties) {
            if (property === 'value' && typeof setting.properties.value !== 'string') continue;
            const raw = rawOf(setting.properties, property);
            if (raw && 'formula' in raw) graph.add(setting.key, property, raw.formula, keys);
          }
        }
      }
      graphs.set(machine, graph);
    }
    return graph;
  }

  copy(): DependencyGraph {
    return new DependencyGraph(
      new Map([...this.valueReaders].map(([key, set]) => [key, new Set(set)])),
      new Map([...this.propertyReaderLists].map(([key, list]) => [key, [...list]])),
    );
  }

  /** Records that `property` of `key` is computed by `formula`. Only names that are settings count. */
  add(key: string, property: FunctionProperty, formula: Formula, settingKeys: ReadonlySet<string>): void {
    const link = (from: string) => {
      if (valueShaping.has(property)) {
        let set = this.valueReaders.get(from);
        if (!set) this.valueReaders.set(from, (set = new Set()));
        set.add(key);
      } else {
        let list = this.propertyReaderLists.get(from);
        if (!list) this.propertyReaderLists.set(from, (list = []));
        if (!list.some((entry) => entry.key === key && entry.property === property)) list.push({ key, property });
      }
    };
    for (const reference of formula.references) if (settingKeys.has(reference)) link(reference);
    // extruderValues() and friends depend on how many extruders are in use.
    if (formula.readsExtruderList) link('machine_extruder_count');
  }

  /** The settings whose value can change when these change (themselves included). */
  dependentsOf(keys: Iterable<string>): Set<string> {
    const out = new Set<string>();
    const queue = [...keys];
    while (queue.length) {
      const key = queue.pop() as string;
      if (out.has(key)) continue;
      out.add(key);
      for (const reader of this.valueReaders.get(key) ?? []) if (!out.has(reader)) queue.push(reader);
    }
    return out;
  }

  /** Non-value properties of other settings whose formulas read `key`. */
  propertyReaders(key: string): readonly { key: string; property: FunctionProperty }[] {
    return this.propertyReaderLists.get(key) ?? [];
  }
}
