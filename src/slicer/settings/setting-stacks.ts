// Cura's container stacks and setting evaluation, rebuilt from Uranium's and Cura's rules:
//
// - the global stack is [user changes, slicing profile, machine definition (inherits chain merged
//   over fdmprinter)]; an extruder stack is [user changes, profile, extruder definition (merged over
//   fdmextruder)] and falls back to the global stack for anything it does not define;
// - a property's raw value comes from the first container that has it; a formula is then evaluated
//   in the stack that was asked (so fdmprinter's formulas see the extruder's nozzle in an extruder);
// - the global stack applies `resolve` (unless the user set the value) and `limit_to_extruder`;
//   an extruder stack hands settings that are not settable per extruder to the global stack, and
//   honours `limit_to_extruder` too;
// - formula functions: extruderValue(s) read an extruder's raw value evaluated in that extruder,
//   resolveOrValue reads the global stack.
//
// Results are cached per (stack, setting, property). A change invalidates only the settings that
// depend on it, through a dependency graph built from the formulas' syntax trees.
import { callable } from '../expression/builtins.js';
import { compileFormula, type Formula } from '../expression/formula.js';
import { evaluate, type NameScope } from '../expression/interpreter.js';
import { PythonError, pyStr, truthy, type PyCallable, type PyValue } from '../expression/python-values.js';
import type { DefinitionContainer, SettingDefinition } from './definition-container.js';
import { DependencyGraph } from './dependency-graph.js';
import { DefinitionLayer, functionProperties, propertyIndex, ValueContainer, type Container, type FunctionProperty, type Raw } from './setting-containers.js';
import type { Machine } from './machine.js';
import { coerceUserValue, emptyChanges, type SettingChanges } from './user-changes.js';
import { validateSetting, type Validation } from './validation.js';

/** -1 is the global stack; 0, 1, … are extruder stacks. */
export { functionProperties, type FunctionProperty } from './setting-containers.js';

export type StackIndex = number;
export const GLOBAL = -1;

export interface DefinitionProblem {
  key: string;
  /** 'global' or the extruder position. */
  stack: string;
  property: FunctionProperty;
  formula: string;
  /** For a person. */
  message: string;
}

interface Stack {
  index: StackIndex;
  label: string;
  user: ValueContainer;
  profile: ValueContainer;
  definitionLayer: DefinitionLayer;
  containers: Container[];
  next: Stack | null;
  /** Settings this stack knows (an extruder knows its own and the global ones). */
  keys: ReadonlySet<string>;
  scope: NameScope;
  enabled: boolean;
  /** Per property: cached results of getProperty ("proper") and of the plain container walk ("base"). */
  proper: Map<string, PyValue | typeof inProgress>[];
  base: Map<string, PyValue | typeof inProgress>[];
}

const inProgress: unique symbol = Symbol('in progress');


export interface ResolvedSetting {
  value: PyValue;
  enabled: boolean;
  validation: Validation;
  /** Whether the user changed it in this stack. */
  userChanged: boolean;
}

export interface StackSnapshot {
  /** 'global' or the extruder position. */
  stack: string;
  settings: Map<string, ResolvedSetting>;
}

export interface SettingStacksOptions {
  changes?: SettingChanges;
  /** The slicing profile: a quality preset or a saved profile, below the user's changes. */
  profile?: SettingChanges;
}

export class SettingStacks {
  readonly machine: Machine;
  readonly #global: Stack;
  readonly #extruders: Stack[];
  /** Shared by every set of stacks of this machine until a user formula adds to it (then copied). */
  #graph: DependencyGraph;
  #sharedGraph = true;
  readonly #allKeys: ReadonlySet<string>;
  readonly #allStacks: Stack[];
  readonly #problems = new Map<string, Map<string, DefinitionProblem>>();
  readonly #resolving = new Set<string>();
  /** Counts reads that skipped `resolve` because it was being computed: results depending on one are not cached. */
  #guardHits = 0;
  readonly #snapshots: StackSnapshot[];
  /** Settings whose snapshot entry is stale; null means all of them. */
  #stale: Set<string> | null = null;
  #snapshotsBuilt = false;
  readonly #keyOrder = new Map<StackIndex, readonly string[]>();

  constructor(machine: Machine, options: SettingStacksOptions = {}) {
    this.machine = machine;
    this.#global = this.#makeStack(GLOBAL, machine.definition, null);
    this.#extruders = machine.extruders.map((definition, position) => this.#makeStack(position, definition, this.#global));
    this.#allStacks = [this.#global, ...this.#extruders];
    this.#allKeys = new Set(this.#allStacks.flatMap((stack) => [...stack.keys]));
    this.#snapshots = this.#allStacks.map((stack) => ({ stack: stack.label, settings: new Map() }));
    this.#graph = DependencyGraph.forMachine(machine, this.#allKeys);
    if (options.profile) this.#applyChanges(options.profile, 'profile');
    if (options.changes) this.#applyChanges(options.changes, 'user');
  }

  // ----- stacks and containers -----

  #makeStack(index: StackIndex, definition: DefinitionContainer, next: Stack | null): Stack {
    const user = new ValueContainer(index === GLOBAL ? 'user' : `user ${index}`);
    const profile = new ValueContainer(index === GLOBAL ? 'profile' : `profile ${index}`);
    const definitionLayer = new DefinitionLayer(definition);
    const keys = new Set(definition.settings.keys());
    if (next) for (const key of next.keys) keys.add(key);
    const stack: Stack = {
      index,
      label: index === GLOBAL ? 'global' : String(index),
      user,
      profile,
      definitionLayer,
      containers: [user, profile, definitionLayer],
      next,
      keys,
      scope: () => undefined,
      enabled: true,
      proper: functionProperties.map(() => new Map()),
      base: functionProperties.map(() => new Map()),
    };
    const functions = this.#formulaFunctions(stack);
    stack.scope = (name: string) => {
      if (keys.has(name)) {
        const value = this.#proper(stack, name, 'value');
        return value === null ? undefined : value;
      }
      return functions[name];
    };
    return stack;
  }

  #stack(index: StackIndex): Stack {
    if (index === GLOBAL) return this.#global;
    const stack = this.#extruders[index];
    if (!stack) throw new RangeError(`This printer has no extruder ${index}.`);
    return stack;
  }

  /** Extruder trains of the definition. */
  get extruderTrainCount(): number {
    return this.#extruders.length;
  }

  /** Extruders in use: `machine_extruder_count`, at most the number of trains. */
  get extruderCount(): number {
    const count = Number(this.value(GLOBAL, 'machine_extruder_count'));
    return Math.max(1, Math.min(this.#extruders.length, Number.isFinite(count) ? Math.trunc(count) : 1));
  }

  definitionOf(key: string, stack: StackIndex = GLOBAL): SettingDefinition | undefined {
    if (stack !== GLOBAL) {
      const own = this.#stack(stack).definitionLayer.definition.settings.get(key);
      if (own) return own;
    }
    return this.machine.definition.settings.get(key);
  }

  /** Whether a stack knows a setting (an extruder knows its own and the global ones). */
  has(stack: StackIndex, key: string): boolean {
    return this.#stack(stack).keys.has(key);
  }

  /** Every setting key a stack knows, in tree order (for an extruder: global ones, then its own extras). */
  keys(stack: StackIndex = GLOBAL): readonly string[] {
    let keys = this.#keyOrder.get(stack);
    if (!keys) {
      const globalOrder = this.machine.definition.order;
      const extra = stack === GLOBAL ? [] : this.#stack(stack).definitionLayer.definition.order.filter((key) => !this.machine.definition.settings.has(key));
      keys = [...globalOrder, ...extra];
      this.#keyOrder.set(stack, keys);
    }
    return keys;
  }

  // ----- property evaluation -----

  #rawProperty(stack: Stack, key: string, property: FunctionProperty): Raw | undefined {
    for (let s: Stack | null = stack; s; s = s.next) {
      for (const container of s.containers) {
        const raw = container.get(key, property);
        if (raw !== undefined) return raw;
      }
    }
    return undefined;
  }

  /** ContainerStack.getProperty: the first container's raw value, a formula evaluated in this stack. */
  #base(stack: Stack, key: string, property: FunctionProperty): PyValue {
    const cache = stack.base[propertyIndex.get(property) as number];
    const cached = cache.get(key);
    if (cached === inProgress) throw new PythonError('RecursionError', `"${key}" depends on itself`);
    if (cached !== undefined) return cached;
    const raw = this.#rawProperty(stack, key, property);
    if (!raw) return null;
    if ('literal' in raw) return raw.literal;
    cache.set(key, inProgress);
    const hits = this.#guardHits;
    let value: PyValue;
    try {
      value = this.#evaluate(stack, key, property, raw.formula);
    } finally {
      cache.delete(key);
    }
    if (hits === this.#guardHits) cache.set(key, value);
    return value;
  }

  #evaluate(stack: Stack, key: string, property: FunctionProperty, formula: Formula): PyValue {
    if (!formula.tree) {
      // Uranium gives an unparsable formula no value at all.
      this.#report(stack, key, property, formula, `the formula does not parse: ${formula.syntaxError}`);
      return null;
    }
    try {
      return evaluate(formula.tree, stack.scope);
    } catch (error) {
      // Cura logs a failing formula and uses 0.
      const message = error instanceof Error ? error.message : String(error);
      this.#report(stack, key, property, formula, message);
      return 0;
    }
  }

  #report(stack: Stack, key: string, property: FunctionProperty, formula: Formula, message: string): void {
    let forKey = this.#problems.get(key);
    if (!forKey) {
      forKey = new Map();
      this.#problems.set(key, forKey);
    }
    forKey.set(`${stack.label}|${property}`, { key, stack: stack.label, property, formula: formula.source, message });
  }

  /** GlobalStack.getProperty / ExtruderStack.getProperty. */
  #proper(stack: Stack, key: string, property: FunctionProperty): PyValue {
    if (!stack.keys.has(key)) return null;
    const guarded = stack === this.#global && property === 'value' && this.#resolving.has(key);
    if (guarded) {
      this.#guardHits += 1;
      return this.#properUncached(stack, key, property, true);
    }
    const cache = stack.proper[propertyIndex.get(property) as number];
    const cached = cache.get(key);
    if (cached === inProgress) throw new PythonError('RecursionError', `"${key}" depends on itself`);
    if (cached !== undefined) return cached;
    cache.set(key, inProgress);
    const hits = this.#guardHits;
    let value: PyValue;
    try {
      value = this.#properUncached(stack, key, property, false);
    } finally {
      cache.delete(key);
    }
    if (hits === this.#guardHits) cache.set(key, value);
    return value;
  }

  #properUncached(stack: Stack, key: string, property: FunctionProperty, skipResolve: boolean): PyValue {
    if (stack === this.#global) {
      if (property === 'value' && !skipResolve && !stack.user.has(key) && this.machine.definition.settings.get(key)?.properties.resolve) {
        this.#resolving.add(key);
        let resolved: PyValue;
        try {
          resolved = this.#base(stack, key, 'resolve');
        } finally {
          this.#resolving.delete(key);
        }
        if (resolved !== null) return resolved;
      }
      const limit = this.#limitToExtruder(stack, key);
      if (limit !== null && this.#extruders[limit] && this.definitionOf(key)?.settablePerExtruder !== false) {
        const result = this.#proper(this.#extruders[limit], key, property);
        if (result !== null) return result;
      }
      return this.#base(stack, key, property);
    }
    if (!this.#settablePerExtruder(stack, key)) return this.#proper(this.#global, key, property);
    const limit = this.#limitToExtruder(stack, key);
    if (limit !== null && limit !== stack.index && this.#extruders[limit]) {
      const result = this.#proper(this.#extruders[limit], key, property);
      if (result !== null) return result;
    }
    return this.#base(stack, key, property);
  }

  /** The extruder a setting is limited to, or null for "-1" / none. -1 as a number means the default extruder. */
  #limitToExtruder(stack: Stack, key: string): number | null {
    const limit = this.#base(stack, key, 'limit_to_extruder');
    if (limit === null) return null;
    if (limit === -1 && stack === this.#global) return this.#defaultExtruderPosition();
    const text = pyStr(limit);
    if (text === '-1' || !/^\d+$/.test(text)) return null;
    return Number(text);
  }

  #settablePerExtruder(stack: Stack, key: string): boolean {
    const own = stack.definitionLayer.definition.settings.get(key);
    return (own ?? this.machine.definition.settings.get(key))?.settablePerExtruder !== false;
  }

  #defaultExtruderPosition(): number {
    const first = this.#extruders.find((extruder) => extruder.enabled);
    return first ? first.index : 0;
  }

  // ----- Cura's formula functions -----

  #formulaFunctions(stack: Stack): Record<string, PyCallable> {
    const toPosition = (value: PyValue): number => {
      const number = typeof value === 'string' ? Number(value.trim()) : typeof value === 'boolean' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) throw new PythonError('ValueError', `invalid extruder position ${pyStr(value)}`);
      return Math.trunc(number);
    };
    // Cura's getValueInExtruder hands strings back in lower case (enum options are lower case anyway).
    const lowered = (value: PyValue): PyValue => (typeof value === 'string' ? value.toLowerCase() : value);
    const extruderValue = (positionValue: PyValue, key: string): PyValue => {
      let position = toPosition(positionValue);
      if (position === -1) position = this.#defaultExtruderPosition();
      let extruder = this.#extruders[position];
      if (!extruder) {
        // Cura falls back to extruder 0 for a profile made on a printer with more extruders.
        if (position === 0) return null;
        extruder = this.#extruders[0];
      }
      return lowered(this.#base(extruder, key, 'value'));
    };
    const valueFromContainer = (target: Stack, key: string, index: number): PyValue => {
      // Cura's global stack holds 8 containers (user, quality changes, intent, quality, material,
      // variant, definition changes, definition); ours holds user, profile, definition.
      const ours = index <= 0 ? 0 : index <= 5 ? 1 : 2;
      for (let s: Stack | null = target; s; s = s.next) {
        for (const container of s.containers.slice(s === target ? ours : 0)) {
          const raw = container.get(key, 'value');
          if (raw) return 'literal' in raw ? raw.literal : this.#evaluate(target, key, 'value', raw.formula);
        }
      }
      return null;
    };
    /** Cura's _getActiveExtruders: enabled, and within machine_extruder_count. */
    const activeExtruders = (): Stack[] => {
      const used = this.extruderCount;
      return this.#extruders.filter((extruder) => extruder.enabled && extruder.index < used);
    };
    return {
      extruderValue: callable('extruderValue', (args) => extruderValue(args[0], String(args[1]))),
      extruderValues: callable('extruderValues', (args) => {
        const key = String(args[0]);
        const values: PyValue[] = [];
        for (const extruder of activeExtruders()) {
          const value = this.#base(extruder, key, 'value');
          if (value !== null) values.push(value);
        }
        if (values.length === 0) values.push(this.#proper(this.#global, key, 'value'));
        return values;
      }),
      resolveOrValue: callable('resolveOrValue', (args) => this.#proper(this.#global, String(args[0]), 'value')),
      defaultExtruderPosition: callable('defaultExtruderPosition', () => String(this.#defaultExtruderPosition())),
      valueFromContainer: callable('valueFromContainer', (args) => valueFromContainer(this.#global, String(args[0]), toPosition(args[1]))),
      extruderValueFromContainer: callable('extruderValueFromContainer', (args) => {
        let position = toPosition(args[0]);
        if (position === -1) position = this.#defaultExtruderPosition();
        const extruder = this.#extruders[position];
        // Unlike extruderValue, Cura gives None here for an extruder the printer does not have.
        return extruder ? lowered(valueFromContainer(extruder, String(args[1]), toPosition(args[2]))) : null;
      }),
      // The first extruder whose material defines the property; without a material database no
      // material defines anything, so Cura's answer is the default extruder.
      anyExtruderWithMaterial: callable('anyExtruderWithMaterial', () => String(this.#defaultExtruderPosition())),
      // The first active extruder where the setting is truthy, else None.
      anyExtruderNrWithOrDefault: callable('anyExtruderNrWithOrDefault', (args) => {
        const key = String(args[0]);
        const found = activeExtruders().find((extruder) => truthy(this.#base(extruder, key, 'value')));
        return found ? String(found.index) : null;
      }),
    };
  }

  // ----- dependency graph -----

  #addUserFormula(key: string, formula: Formula): void {
    if (this.#sharedGraph) {
      this.#graph = this.#graph.copy();
      this.#sharedGraph = false;
    }
    this.#graph.add(key, 'value', formula, this.#allKeys);
  }

  /** The settings whose value can change when these settings change (themselves included). */
  dependentsOf(keys: Iterable<string>): Set<string> {
    return this.#graph.dependentsOf(keys);
  }

  #forgetProperty(key: string, index: number): void {
    for (const stack of this.#allStacks) {
      stack.proper[index].delete(key);
      stack.base[index].delete(key);
    }
    const problems = this.#problems.get(key);
    if (problems) for (const [id, problem] of problems) if (propertyIndex.get(problem.property) === index) problems.delete(id);
  }

  /** Forgets what the change of `keys` can affect; returns every setting whose results may differ. */
  #invalidate(keys: Iterable<string>): Set<string> {
    const valueDirty = this.dependentsOf(keys);
    const affected = new Set(valueDirty);
    for (const key of valueDirty) {
      for (let i = 0; i < functionProperties.length; i += 1) this.#forgetProperty(key, i);
      for (const { key: reader, property } of this.#graph.propertyReaders(key)) {
        this.#forgetProperty(reader, propertyIndex.get(property) as number);
        affected.add(reader);
      }
    }
    if (this.#stale) for (const key of affected) this.#stale.add(key);
    else if (this.#snapshotsBuilt) this.#stale = new Set(affected);
    return affected;
  }

  #invalidateAll(): void {
    for (const stack of [this.#global, ...this.#extruders]) {
      for (const cache of [...stack.proper, ...stack.base]) cache.clear();
    }
    this.#problems.clear();
    this.#snapshotsBuilt = false;
    this.#stale = null;
  }

  // ----- changes -----

  #applyChanges(changes: SettingChanges, layer: 'user' | 'profile'): void {
    const apply = (stack: Stack, values: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(values)) {
        const result = this.#store(stack, layer, key, value);
        if (!result.ok) throw new Error(result.message);
      }
    };
    apply(this.#global, changes.global ?? {});
    for (const [position, values] of Object.entries(changes.extruders ?? {})) {
      const stack = this.#extruders[Number(position)];
      if (!stack) throw new Error(`This printer has no extruder ${position}.`);
      apply(stack, values);
    }
    this.#invalidateAll();
  }

  #store(stack: Stack, layer: 'user' | 'profile', key: string, input: unknown): { ok: true } | { ok: false; message: string } {
    const definition = this.definitionOf(key, stack.index);
    if (!definition || !stack.keys.has(key)) return { ok: false, message: `"${key}" is not a setting of this printer.` };
    const coerced = coerceUserValue(definition, input);
    if (!coerced.ok) return coerced;
    (layer === 'user' ? stack.user : stack.profile).values.set(key, coerced.value);
    if (typeof coerced.value === 'string' && coerced.value.startsWith('=')) this.#addUserFormula(key, compileFormula(coerced.value.slice(1)));
    return { ok: true };
  }

  /** Sets a user change. Returns the settings that changed as a consequence, or a message for a person. */
  setUserValue(stack: StackIndex, key: string, value: unknown): { ok: true; affected: Set<string> } | { ok: false; message: string } {
    const result = this.#store(this.#stack(stack), 'user', key, value);
    if (!result.ok) return result;
    return { ok: true, affected: this.#invalidate([key]) };
  }

  clearUserValue(stack: StackIndex, key: string): Set<string> {
    const target = this.#stack(stack);
    if (!target.user.values.delete(key)) return new Set();
    return this.#invalidate([key]);
  }

  /** Replaces the slicing profile (e.g. a quality preset). */
  setProfile(profile: SettingChanges): void {
    for (const stack of [this.#global, ...this.#extruders]) stack.profile.values.clear();
    this.#applyChanges(profile, 'profile');
  }

  setExtruderEnabled(position: number, enabled: boolean): void {
    this.#stack(position).enabled = enabled;
    this.#invalidateAll();
  }

  hasUserValue(stack: StackIndex, key: string): boolean {
    return this.#stack(stack).user.has(key);
  }

  userChanges(): SettingChanges {
    const changes = emptyChanges();
    for (const [key, value] of this.#global.user.values) changes.global[key] = value;
    for (const extruder of this.#extruders) {
      if (extruder.user.values.size === 0) continue;
      changes.extruders[extruder.label] = Object.fromEntries(extruder.user.values);
    }
    return changes;
  }

  // ----- results -----

  value(stack: StackIndex, key: string): PyValue {
    return this.#proper(this.#stack(stack), key, 'value');
  }

  property(stack: StackIndex, key: string, property: FunctionProperty): PyValue {
    return this.#proper(this.#stack(stack), key, property);
  }

  enabled(stack: StackIndex, key: string): boolean {
    return truthy(this.#proper(this.#stack(stack), key, 'enabled'));
  }

  validate(stack: StackIndex, key: string): Validation {
    const definition = this.definitionOf(key, stack);
    if (!definition) return { state: 'valid' };
    return validateSetting(definition, (property) => this.#proper(this.#stack(stack), key, property));
  }

  /**
   * Every setting of every stack: value, enabled, validation. The first call computes everything;
   * after a change only the settings that depend on it are recomputed.
   */
  resolveAll(): StackSnapshot[] {
    const stacks = [this.#global, ...this.#extruders];
    const only = this.#snapshotsBuilt ? this.#stale : null;
    stacks.forEach((stack, i) => {
      const snapshot = this.#snapshots[i];
      const keys = only ?? this.keys(stack.index);
      if (!only) snapshot.settings.clear();
      for (const key of keys) {
        if (!stack.keys.has(key)) continue;
        const definition = this.definitionOf(key, stack.index);
        if (!definition || definition.type === 'category') continue;
        snapshot.settings.set(key, {
          value: this.#proper(stack, key, 'value'),
          enabled: truthy(this.#proper(stack, key, 'enabled')),
          validation: this.validate(stack.index, key),
          userChanged: stack.user.has(key),
        });
      }
    });
    this.#snapshotsBuilt = true;
    this.#stale = new Set();
    return this.#snapshots;
  }

  /** Formulas that failed (Cura logs them and uses 0). */
  problems(): DefinitionProblem[] {
    return [...this.#problems.values()].flatMap((forKey) => [...forKey.values()]);
  }

  /** Settings in error on an enabled setting of a used stack: Cura refuses to slice while one stands. */
  errors(): { stack: string; key: string; message: string }[] {
    const snapshots = this.resolveAll();
    const used = this.extruderCount;
    const out: { stack: string; key: string; message: string }[] = [];
    snapshots.forEach((snapshot, i) => {
      if (i > 0 && i - 1 >= used) return;
      const stack = i === 0 ? this.#global : this.#extruders[i - 1];
      for (const [key, setting] of snapshot.settings) {
        if (!setting.enabled || setting.validation.state !== 'error') continue;
        // An extruder hands settings it cannot hold to the global stack: report those once, there.
        if (i > 0 && !this.#settablePerExtruder(stack, key)) continue;
        out.push({ stack: snapshot.stack, key, message: setting.validation.message ?? '' });
      }
    });
    return out;
  }
}
