// Evaluates a parsed formula with Python's semantics. Names are looked up through `scope` (setting
// values and Cura's formula functions), then Python's builtins; anything else is a NameError.
import { builtins, callable } from './builtins.js';
import type { Comprehension, ExpressionNode } from './syntax-tree.js';
import {
  asNumber,
  isCallable,
  isModule,
  iterate,
  pyCompare,
  pyContains,
  pyEquals,
  pyFloorDivide,
  pyModulo,
  PythonError,
  pyRepr,
  truthy,
  typeName,
  type PyValue,
} from './python-values.js';

/** Where a formula finds its names. Return undefined for a name it does not know. */
export type NameScope = (name: string) => PyValue | undefined;

type Locals = Map<string, PyValue> | null;

/**
 * Bounds on one formula's work, so a hostile or broken definition cannot hang or exhaust the worker:
 * nodes evaluated (a formula of the definitions takes hundreds) and items a repetition may make (range()
 * already stops at 100 000).
 */
const MAX_STEPS = 1_000_000;
const MAX_REPEATED_ITEMS = 1_000_000;
let stepsLeft = MAX_STEPS;

export function evaluate(node: ExpressionNode, scope: NameScope): PyValue {
  // Formulas of other settings run inside this one (through `scope`); each has its own budget.
  const outer = stepsLeft;
  stepsLeft = MAX_STEPS;
  try {
    return evaluateNode(node, scope, null);
  } catch (error) {
    // The engine's own limits (call stack, string length) are Python's RecursionError and MemoryError.
    if (error instanceof RangeError) {
      throw /call stack/i.test(error.message)
        ? new PythonError('RecursionError', 'maximum recursion depth exceeded')
        : new PythonError('MemoryError', 'the result is too large for a setting formula');
    }
    throw error;
  } finally {
    stepsLeft = outer;
  }
}

function lookup(name: string, scope: NameScope, locals: Locals): PyValue {
  if (locals?.has(name)) return locals.get(name) as PyValue;
  const found = scope(name);
  if (found !== undefined) return found;
  if (Object.prototype.hasOwnProperty.call(builtins, name)) return builtins[name];
  throw new PythonError('NameError', `name '${name}' is not defined`);
}

function evaluateNode(node: ExpressionNode, scope: NameScope, locals: Locals): PyValue {
  if (--stepsLeft < 0) throw new PythonError('TimeoutError', 'the formula takes too long to evaluate');
  const value = evaluateKind(node, scope, locals);
  // A string or a list costs in proportion to its size, nested lists and strings included: lists share
  // their items, so `[x] * n` of a long `x` is cheap to make but not to print, compare or sort.
  const cost = typeof value === 'string' ? value.length : Array.isArray(value) ? deepSize(value, Math.max(0, stepsLeft)) : 0;
  if ((stepsLeft -= cost) < 0) throw new PythonError('MemoryError', 'the formula makes more data than a setting formula may');
  return value;
}

const deepSizes = new WeakMap<PyValue[], number>();

/** Items of a list, with those of the lists and the characters of the strings in it; counting stops past `limit`. */
function deepSize(items: PyValue[], limit: number): number {
  const known = deepSizes.get(items);
  if (known !== undefined) return known;
  let size = items.length;
  for (const item of items) {
    if (size > limit) return size;
    if (Array.isArray(item)) size += deepSize(item, limit - size);
    else if (typeof item === 'string') size += item.length;
  }
  deepSizes.set(items, size);
  return size;
}

function evaluateKind(node: ExpressionNode, scope: NameScope, locals: Locals): PyValue {
  switch (node.kind) {
    case 'number':
    case 'string':
    case 'constant':
      return node.value;
    case 'name':
      return lookup(node.name, scope, locals);
    case 'list':
    case 'tuple':
      return node.items.map((item) => evaluateNode(item, scope, locals));
    case 'unary': {
      const operand = evaluateNode(node.operand, scope, locals);
      if (node.operator === 'not') return !truthy(operand);
      const x = asNumber(operand, `unary ${node.operator}`);
      return node.operator === '-' ? -x : x;
    }
    case 'binary':
      return binary(node.operator, evaluateNode(node.left, scope, locals), evaluateNode(node.right, scope, locals));
    case 'boolean': {
      // `and`/`or` return the deciding operand, not a bool.
      let value: PyValue = null;
      for (const operand of node.operands) {
        value = evaluateNode(operand, scope, locals);
        if (node.operator === 'and' ? !truthy(value) : truthy(value)) return value;
      }
      return value;
    }
    case 'compare': {
      let left = evaluateNode(node.first, scope, locals);
      for (let i = 0; i < node.operators.length; i += 1) {
        const right = evaluateNode(node.rest[i], scope, locals);
        if (!compare(node.operators[i], left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'conditional':
      return truthy(evaluateNode(node.test, scope, locals))
        ? evaluateNode(node.then, scope, locals)
        : evaluateNode(node.otherwise, scope, locals);
    case 'call': {
      const callee = evaluateNode(node.callee, scope, locals);
      if (!isCallable(callee)) throw new PythonError('TypeError', `'${typeName(callee)}' object is not callable`);
      const args = node.args.map((arg) => evaluateNode(arg, scope, locals));
      const keywords: Record<string, PyValue> = {};
      for (const keyword of node.keywords) keywords[keyword.name] = evaluateNode(keyword.value, scope, locals);
      return callee.call(args, keywords);
    }
    case 'attribute': {
      const object = evaluateNode(node.object, scope, locals);
      if (isModule(object) && Object.prototype.hasOwnProperty.call(object.members, node.name)) return object.members[node.name];
      if (typeof object === 'string') return stringMethod(object, node.name);
      if (Array.isArray(object)) return sequenceMethod(object, node.name);
      throw new PythonError('AttributeError', `'${typeName(object)}' object has no attribute '${node.name}'`);
    }
    case 'subscript': {
      const object = evaluateNode(node.object, scope, locals);
      const index = asNumber(evaluateNode(node.index, scope, locals), 'subscript');
      if (!Number.isInteger(index)) throw new PythonError('TypeError', 'indices must be integers');
      const items = typeof object === 'string' ? Array.from(object) : Array.isArray(object) ? object : null;
      if (!items) throw new PythonError('TypeError', `'${typeName(object)}' object is not subscriptable`);
      const at = index < 0 ? items.length + index : index;
      if (at < 0 || at >= items.length) throw new PythonError('IndexError', 'index out of range');
      return items[at];
    }
    case 'slice': {
      const object = evaluateNode(node.object, scope, locals);
      const start = node.start ? asNumber(evaluateNode(node.start, scope, locals), 'slice') : undefined;
      const stop = node.stop ? asNumber(evaluateNode(node.stop, scope, locals), 'slice') : undefined;
      if (typeof object === 'string') return Array.from(object).slice(start, stop).join('');
      if (Array.isArray(object)) return object.slice(start, stop);
      throw new PythonError('TypeError', `'${typeName(object)}' object is not subscriptable`);
    }
    case 'generator': {
      const out: PyValue[] = [];
      comprehend(node.comprehensions, 0, new Map(locals ?? []), scope, (inner) => {
        out.push(evaluateNode(node.element, scope, inner));
      });
      return out;
    }
    case 'lambda':
      return callable('<lambda>', (args) => {
        if (args.length !== node.params.length) {
          throw new PythonError('TypeError', `<lambda>() takes ${node.params.length} argument(s) (${args.length} given)`);
        }
        const inner = new Map(locals ?? []);
        node.params.forEach((param, i) => inner.set(param, args[i]));
        return evaluateNode(node.body, scope, inner);
      });
  }
}

function comprehend(
  clauses: Comprehension[],
  depth: number,
  locals: Map<string, PyValue>,
  scope: NameScope,
  emit: (locals: Map<string, PyValue>) => void,
): void {
  if (depth === clauses.length) {
    emit(locals);
    return;
  }
  const clause = clauses[depth];
  for (const item of iterate(evaluateNode(clause.iterable, scope, locals))) {
    if (clause.targets.length === 1) {
      locals.set(clause.targets[0], item);
    } else {
      const parts = iterate(item);
      if (parts.length !== clause.targets.length) throw new PythonError('ValueError', 'wrong number of values to unpack');
      clause.targets.forEach((target, i) => locals.set(target, parts[i]));
    }
    if (clause.conditions.every((condition) => truthy(evaluateNode(condition, scope, locals)))) {
      comprehend(clauses, depth + 1, locals, scope, emit);
    }
  }
}

function binary(operator: string, left: PyValue, right: PyValue): PyValue {
  if (operator === '+') {
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
  }
  if (operator === '*') {
    const repeatable = typeof left === 'string' || Array.isArray(left);
    if (repeatable && (typeof right === 'number' || typeof right === 'boolean') && left.length * Number(right) > MAX_REPEATED_ITEMS) {
      throw new PythonError('MemoryError', 'the repetition is too large for a setting formula');
    }
    if (typeof left === 'string' && (typeof right === 'number' || typeof right === 'boolean')) return left.repeat(Math.max(0, Number(right)));
    if (Array.isArray(left) && (typeof right === 'number' || typeof right === 'boolean')) {
      if (left.length === 0) return [];
      return Array.from({ length: Math.max(0, Number(right)) }, () => left).flat();
    }
  }
  const a = asNumber(left, operator);
  const b = asNumber(right, operator);
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new PythonError('ZeroDivisionError', 'division by zero');
      return a / b;
    case '//':
      return pyFloorDivide(a, b);
    case '%':
      return pyModulo(a, b);
    case '**': {
      if (a === 0 && b < 0) throw new PythonError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      const result = a ** b;
      if (Number.isNaN(result)) throw new PythonError('ValueError', 'math domain error');
      return result;
    }
  }
  throw new PythonError('SyntaxError', `unknown operator ${operator}`);
}

function compare(operator: string, left: PyValue, right: PyValue): boolean {
  switch (operator) {
    case '==':
      return pyEquals(left, right);
    case '!=':
      return !pyEquals(left, right);
    case '<':
      return pyCompare(left, right, '<') < 0;
    case '<=':
      return pyCompare(left, right, '<=') <= 0;
    case '>':
      return pyCompare(left, right, '>') > 0;
    case '>=':
      return pyCompare(left, right, '>=') >= 0;
    case 'in':
      return pyContains(right, left);
    case 'not in':
      return !pyContains(right, left);
    case 'is':
      return identical(left, right);
    case 'is not':
      return !identical(left, right);
  }
  return false;
}

function identical(a: PyValue, b: PyValue): boolean {
  if (a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  return a === b;
}

/** The methods of a list or tuple that do not change it (`key=('raft', 'brim').index` in adhesion_type's resolve). */
function sequenceMethod(items: PyValue[], name: string): PyValue {
  if (name === 'index') {
    return callable('index', (args) => {
      if (args.length !== 1) throw new PythonError('TypeError', `index() takes exactly one argument (${args.length} given)`);
      const at = items.findIndex((item) => pyEquals(item, args[0]));
      if (at < 0) throw new PythonError('ValueError', `${pyRepr(args[0])} is not in list`);
      return at;
    });
  }
  if (name === 'count') {
    return callable('count', (args) => {
      if (args.length !== 1) throw new PythonError('TypeError', `count() takes exactly one argument (${args.length} given)`);
      return items.filter((item) => pyEquals(item, args[0])).length;
    });
  }
  throw new PythonError('AttributeError', `'list' object has no attribute '${name}'`);
}

function stringMethod(text: string, name: string): PyValue {
  const methods: Record<string, (args: PyValue[]) => PyValue> = {
    lower: () => text.toLowerCase(),
    upper: () => text.toUpperCase(),
    strip: () => text.trim(),
    startswith: (args) => text.startsWith(String(args[0])),
    endswith: (args) => text.endsWith(String(args[0])),
    split: (args) => (args.length ? text.split(String(args[0])) : text.trim().split(/\s+/).filter(Boolean)),
    replace: (args) => text.split(String(args[0])).join(String(args[1])),
  };
  const method = methods[name];
  if (!method) throw new PythonError('AttributeError', `'str' object has no attribute '${name}'`);
  return callable(`str.${name}`, (args) => method(args));
}
