// Python builtins and the `math` module, as far as setting formulas use them.
import {
  asNumber,
  isCallable,
  iterate,
  pyCompare,
  PythonError,
  pyRound,
  pyStr,
  truthy,
  type PyCallable,
  type PyModule,
  type PyValue,
} from './python-values.js';

export function callable(name: string, call: (args: PyValue[], keywords: Record<string, PyValue>) => PyValue): PyCallable {
  return { kind: 'callable', name, call };
}

function arity(name: string, args: PyValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new PythonError('TypeError', `${name}() takes ${expected} argument(s) (${args.length} given)`);
  }
}

function extremum(name: 'max' | 'min', args: PyValue[], keywords: Record<string, PyValue>): PyValue {
  const items = args.length === 1 ? iterate(args[0]) : args;
  if (items.length === 0) {
    if ('default' in keywords) return keywords.default;
    throw new PythonError('ValueError', `${name}() arg is an empty sequence`);
  }
  const key = keywords.key;
  const measure = (item: PyValue): PyValue => (key && isCallable(key) ? key.call([item], {}) : item);
  let best = items[0];
  let bestKey = measure(best);
  for (let i = 1; i < items.length; i += 1) {
    const k = measure(items[i]);
    const order = pyCompare(k, bestKey, name === 'max' ? '>' : '<');
    if (name === 'max' ? order > 0 : order < 0) {
      best = items[i];
      bestKey = k;
    }
  }
  return best;
}

function toInt(value: PyValue): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PythonError('ValueError', 'cannot convert float NaN or infinity to integer');
    return Math.trunc(value) + 0;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim().replace(/_/g, '');
    if (!/^[+-]?\d+$/.test(text)) throw new PythonError('ValueError', `invalid literal for int() with base 10: '${value}'`);
    return Number(text);
  }
  throw new PythonError('TypeError', `int() argument must be a string or a number, not '${value === null ? 'NoneType' : typeof value}'`);
}

function toFloat(value: PyValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(text)) return Number.NaN;
    if (!/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(text)) {
      throw new PythonError('ValueError', `could not convert string to float: '${value}'`);
    }
    return Number(text.replace(/_/g, ''));
  }
  throw new PythonError('TypeError', `float() argument must be a string or a number`);
}

function mathFunction(name: string, fn: (...xs: number[]) => number, min = 1, max = min): PyCallable {
  return callable(`math.${name}`, (args) => {
    arity(`math.${name}`, args, min, max);
    const result = fn(...args.map((arg) => asNumber(arg, `math.${name}`)));
    if (Number.isNaN(result) && !args.some((arg) => Number.isNaN(arg as number))) {
      throw new PythonError('ValueError', 'math domain error');
    }
    return result;
  });
}

function mathLog(x: number, base?: number): number {
  if (x <= 0 || (base !== undefined && (base <= 0 || base === 1))) throw new PythonError('ValueError', 'math domain error');
  return base === undefined ? Math.log(x) : Math.log(x) / Math.log(base);
}

function integral(name: string, fn: (x: number) => number): PyCallable {
  return callable(`math.${name}`, (args) => {
    arity(`math.${name}`, args, 1);
    const x = asNumber(args[0], `math.${name}`);
    if (!Number.isFinite(x)) throw new PythonError(Number.isNaN(x) ? 'ValueError' : 'OverflowError', `cannot convert float ${x} to integer`);
    return fn(x) + 0;
  });
}

export const mathModule: PyModule = {
  kind: 'module',
  name: 'math',
  members: {
    pi: Math.PI,
    e: Math.E,
    tau: 2 * Math.PI,
    inf: Infinity,
    nan: Number.NaN,
    sqrt: mathFunction('sqrt', (x) => {
      if (x < 0) throw new PythonError('ValueError', 'math domain error');
      return Math.sqrt(x);
    }),
    ceil: integral('ceil', Math.ceil),
    floor: integral('floor', Math.floor),
    trunc: integral('trunc', Math.trunc),
    log: mathFunction('log', mathLog, 1, 2),
    log10: mathFunction('log10', (x) => mathLog(x, 10)),
    log2: mathFunction('log2', (x) => mathLog(x, 2)),
    exp: mathFunction('exp', Math.exp),
    pow: mathFunction('pow', Math.pow, 2),
    fabs: mathFunction('fabs', Math.abs),
    sin: mathFunction('sin', Math.sin),
    cos: mathFunction('cos', Math.cos),
    tan: mathFunction('tan', Math.tan),
    asin: mathFunction('asin', Math.asin),
    acos: mathFunction('acos', Math.acos),
    atan: mathFunction('atan', Math.atan),
    atan2: mathFunction('atan2', Math.atan2, 2),
    hypot: mathFunction('hypot', Math.hypot, 0, 16),
    radians: mathFunction('radians', (x) => (x * Math.PI) / 180),
    degrees: mathFunction('degrees', (x) => (x * 180) / Math.PI),
    isnan: callable('math.isnan', (args) => Number.isNaN(asNumber(args[0], 'math.isnan'))),
    isinf: callable('math.isinf', (args) => Math.abs(asNumber(args[0], 'math.isinf')) === Infinity),
  },
};

export const builtins: Readonly<Record<string, PyValue>> = {
  math: mathModule,
  max: callable('max', (args, keywords) => extremum('max', args, keywords)),
  min: callable('min', (args, keywords) => extremum('min', args, keywords)),
  sum: callable('sum', (args) => {
    arity('sum', args, 1, 2);
    let total = args.length > 1 ? asNumber(args[1], 'sum') : 0;
    for (const item of iterate(args[0])) total += asNumber(item, 'sum');
    return total;
  }),
  any: callable('any', (args) => {
    arity('any', args, 1);
    return iterate(args[0]).some(truthy);
  }),
  all: callable('all', (args) => {
    arity('all', args, 1);
    return iterate(args[0]).every(truthy);
  }),
  len: callable('len', (args) => {
    arity('len', args, 1);
    const value = args[0];
    if (typeof value === 'string') return Array.from(value).length;
    if (Array.isArray(value)) return value.length;
    throw new PythonError('TypeError', `object of type '${value === null ? 'NoneType' : typeof value}' has no len()`);
  }),
  abs: callable('abs', (args) => {
    arity('abs', args, 1);
    return Math.abs(asNumber(args[0], 'abs()'));
  }),
  round: callable('round', (args, keywords) => {
    const digits = args.length > 1 ? args[1] : (keywords.ndigits ?? null);
    arity('round', args, 1, 2);
    return pyRound(asNumber(args[0], 'round()'), digits === null ? undefined : asNumber(digits, 'round()'));
  }),
  int: callable('int', (args) => {
    arity('int', args, 0, 1);
    return args.length === 0 ? 0 : toInt(args[0]);
  }),
  float: callable('float', (args) => {
    arity('float', args, 0, 1);
    return args.length === 0 ? 0 : toFloat(args[0]);
  }),
  str: callable('str', (args) => {
    arity('str', args, 0, 1);
    return args.length === 0 ? '' : pyStr(args[0]);
  }),
  bool: callable('bool', (args) => {
    arity('bool', args, 0, 1);
    return args.length === 0 ? false : truthy(args[0]);
  }),
  list: callable('list', (args) => (args.length === 0 ? [] : [...iterate(args[0])])),
  tuple: callable('tuple', (args) => (args.length === 0 ? [] : [...iterate(args[0])])),
  sorted: callable('sorted', (args, keywords) => {
    arity('sorted', args, 1);
    const items = [...iterate(args[0])];
    items.sort((a, b) => pyCompare(a, b, '<'));
    if (truthy(keywords.reverse ?? false)) items.reverse();
    return items;
  }),
  reversed: callable('reversed', (args) => (arity('reversed', args, 1), [...iterate(args[0])].reverse())),
  map: callable('map', (args) => {
    if (args.length < 2) throw new PythonError('TypeError', 'map() must have at least two arguments');
    const fn = args[0];
    if (!isCallable(fn)) throw new PythonError('TypeError', 'map() needs a function');
    const lists = args.slice(1).map(iterate);
    const n = Math.min(...lists.map((list) => list.length));
    const out: PyValue[] = [];
    for (let i = 0; i < n; i += 1) out.push(fn.call(lists.map((list) => list[i]), {}));
    return out;
  }),
  filter: callable('filter', (args) => {
    arity('filter', args, 2);
    const fn = args[0];
    return iterate(args[1]).filter((item) => (fn === null ? truthy(item) : isCallable(fn) && truthy(fn.call([item], {}))));
  }),
  range: callable('range', (args) => {
    arity('range', args, 1, 3);
    const numbers = args.map((arg) => toInt(arg));
    const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
    if (step === 0) throw new PythonError('ValueError', 'range() arg 3 must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
      out.push(i);
      if (out.length > 100_000) throw new PythonError('MemoryError', 'range too large for a setting formula');
    }
    return out;
  }),
  zip: callable('zip', (args) => {
    const lists = args.map(iterate);
    const n = lists.length ? Math.min(...lists.map((list) => list.length)) : 0;
    const out: PyValue[] = [];
    for (let i = 0; i < n; i += 1) out.push(lists.map((list) => list[i]));
    return out;
  }),
  enumerate: callable('enumerate', (args) => (arity('enumerate', args, 1), iterate(args[0]).map((item, i) => [i, item]))),
};
