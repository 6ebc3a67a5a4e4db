// Python's value semantics for the formula interpreter: truthiness, equality, ordering, arithmetic,
// rounding and printing, as CPython does them for numbers, booleans, strings, None and lists.
// Python's int and float are both JavaScript numbers: formulas never depend on the difference
// except for printing, and settings are printed from their declared type.

/** A callable value: a builtin, a math function, a Cura formula function or a lambda. */
export interface PyCallable {
  readonly kind: 'callable';
  readonly name: string;
  call(args: PyValue[], keywords: Record<string, PyValue>): PyValue;
}

/** A module such as `math`: attribute access only. */
export interface PyModule {
  readonly kind: 'module';
  readonly name: string;
  readonly members: Readonly<Record<string, PyValue>>;
}

export type PyValue = number | boolean | string | null | PyValue[] | PyCallable | PyModule;

/** A Python exception raised while evaluating a formula (TypeError, ZeroDivisionError, NameError, …). */
export class PythonError extends Error {
  constructor(
    readonly pythonType: string,
    message: string,
  ) {
    super(`${pythonType}: ${message}`);
    this.name = 'PythonError';
  }
}

export function isCallable(value: PyValue): value is PyCallable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'callable';
}

export function isModule(value: PyValue): value is PyModule {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'module';
}

export function typeName(value: PyValue): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return value.kind === 'module' ? 'module' : 'function';
}

export function truthy(value: PyValue): boolean {
  if (value === null || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'number') return value !== 0; // NaN is true in Python too
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** A number for arithmetic: bool counts as int, as in Python. */
export function asNumber(value: PyValue, operation: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new PythonError('TypeError', `unsupported operand type ${typeName(value)} for ${operation}`);
}

function isNumeric(value: PyValue): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!pyEquals(a[i], b[i])) return false;
    return true;
  }
  return a === b;
}

function compareCodePoints(a: string, b: string): number {
  // UTF-16 order differs from code point order only for astral characters.
  const left = Array.from(a);
  const right = Array.from(b);
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i += 1) {
    const x = left[i].codePointAt(0) as number;
    const y = right[i].codePointAt(0) as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length === right.length ? 0 : left.length < right.length ? -1 : 1;
}

/** Ordering for < <= > >=: numbers, strings by code point, lists lexicographically; else TypeError. */
export function pyCompare(a: PyValue, b: PyValue, operator: string): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return 0;
    return /[\uD800-\uDFFF]/.test(a + b) ? compareCodePoints(a, b) : a < b ? -1 : 1;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i += 1) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], operator);
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  throw new PythonError('TypeError', `'${operator}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyContains(container: PyValue, item: PyValue): boolean {
  if (Array.isArray(container)) return container.some((element) => pyEquals(element, item));
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new PythonError('TypeError', "'in <string>' requires string as left operand");
    return container.includes(item);
  }
  throw new PythonError('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

/** Python's float modulo: the result has the sign of the divisor. */
export function pyModulo(a: number, b: number): number {
  if (b === 0) throw new PythonError('ZeroDivisionError', 'modulo by zero');
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Python's floor division, computed the way CPython does for floats. */
export function pyFloorDivide(a: number, b: number): number {
  if (b === 0) throw new PythonError('ZeroDivisionError', 'integer division or modulo by zero');
  if (Number.isInteger(a) && Number.isInteger(b)) return Math.floor(a / b);
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0 * (a / b);
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

/** round(x) in Python 3: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor + 0;
  return (floor % 2 === 0 ? floor : floor + 1) + 0;
}

/**
 * round(x, digits): CPython rounds the exact binary value of x to `digits` decimals (ties to even,
 * which only happen when x is exactly a decimal midpoint), then reads the result back as a float.
 */
export function pyRound(x: number, digits?: number): number {
  if (!Number.isFinite(x)) {
    if (digits === undefined) throw new PythonError('ValueError', 'cannot convert float NaN or infinity to integer');
    return x;
  }
  if (digits === undefined || digits === 0) {
    const r = roundHalfEven(x);
    return digits === undefined ? r : r === 0 && x < 0 ? -0 : r;
  }
  if (digits < 0) {
    const scale = 10 ** -digits;
    return roundHalfEven(x / scale) * scale;
  }
  if (Math.abs(x) >= 1e21 || digits > 80) return x;
  // toFixed(100) gives the exact decimal expansion of the double for the magnitudes settings use.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const kept = exact.slice(0, point + 1 + digits);
  const tail = exact.slice(point + 1 + digits);
  let roundUp: boolean;
  if (tail[0] > '5') roundUp = true;
  else if (tail[0] < '5') roundUp = false;
  else if (/[1-9]/.test(tail.slice(1))) roundUp = true;
  else {
    roundUp = Number(kept[kept.length - 1]) % 2 === 1;
  }
  let result = Number(kept);
  if (roundUp) result = Number((result + 10 ** -digits).toFixed(digits));
  return x < 0 ? -result : result;
}

/** str(x) as Python prints it (floats without a fraction print as ints: formulas never see the difference). */
export function pyStr(value: PyValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return formatPythonNumber(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `<${value.kind} ${value.name}>`;
}

export function pyRepr(value: PyValue): string {
  if (typeof value === 'string') {
    // Python quotes with ' unless the text holds a ' and no ".
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
  }
  return pyStr(value);
}

export function formatPythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

export function iterate(value: PyValue): PyValue[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  throw new PythonError('TypeError', `'${typeName(value)}' object is not iterable`);
}
