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
  truthy,
  typeName,
  type PyValue,
} from './python-values.js';

/** Where a formula finds its names. Return undefined for a name it does not know. */
export type NameScope = (name: string) => PyValue | undefined;

type Locals = Map<string, PyValue> | null;

export function evaluate(node: ExpressionNode, scope: NameScope): PyValue {
  return evaluateNode(node, scope, null);
}

function lookup(name: string, scope: NameScope, locals: Locals): PyValue {
  if (locals?.has(name)) return locals.get(name) as PyValue;
  const found = scope(name);
  if (found !== undefined) return found;
  if (Object.prototype.hasOwnProperty.call(builtins, name)) return builtins[name];
  throw new PythonError('NameError', `name '${name}' is not defined`);
}

function evaluateNode(node: ExpressionNode, scope: NameScope, locals: Locals): PyValue {
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
    if (typeof left === 'string' && (typeof right === 'number' || typeof right === 'boolean')) return left.repeat(Math.max(0, Number(right)));
    if (Array.isArray(left) && (typeof right === 'number' || typeof right === 'boolean')) {
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
