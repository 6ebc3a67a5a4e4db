// Property tests for setting formulas, which come from printer definitions and profiles people load.
// The parser's own typed error is `ExpressionSyntaxError`; evaluation's is `PythonError` (Python's
// exception, which Cura logs before using 0). Whatever the text, parsing returns a tree or throws that
// error; whatever the tree, evaluation returns a value or throws `PythonError`: never another exception,
// never a hang, never an allocation that takes the worker down.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula } from './formula.js';
import { evaluate } from './interpreter.js';
import { parseExpression } from './parser.js';
import { PythonError, type PyValue } from './python-values.js';
import { ExpressionSyntaxError, tokenize } from './tokenizer.js';

const RUNS = 10_000;
/** Hang guard for one formula: the worst of these finish in well under a second when bounded. */
const CASE_LIMIT_MS = 3_000;

const names: Record<string, PyValue> = { a: 3, b: 0.5, s: 'grid', l: [1, 2, 3], t: true, n: null, big: 1e308, huge: 10 ** 9 };
const scope = (name: string): PyValue | undefined => names[name];

const tokens = [
  '(', ')', '[', ']', ',', ':', '.', '+', '-', '*', '/', '//', '%', '**', '==', '!=', '<', '<=', '>', '>=', '=', '{', '}',
  'and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'lambda', 'True', 'False', 'None',
  'a', 'b', 's', 'l', 't', 'n', 'x', 'y', 'big', 'huge', 'math', 'math.sqrt', 'math.ceil', 'max', 'min', 'sum', 'len', 'round', 'int', 'float', 'str', 'range',
  'sorted', 'map', 'filter', 'zip', 'enumerate', 'any', 'all', 'abs', 'list', 'tuple', 'bool', '.lower', '.split', '.replace', '.index', '.count',
  '0', '1', '2', '10', '0.5', '1e308', '1e-320', '10**9', '0x1F', '1_000', "'s'", '"a b"', "'''x'''", "r'\\d'", '-1', '99999999999999999999',
];
const tokenStream = fc.array(fc.constantFrom(...tokens), { maxLength: 25 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(tokenStream, fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }));

/** Well-formed formulas, so evaluation (not only parsing) is exercised: bounded depth, sizes chosen to hurt. */
const formula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 's', 'l', 't', 'n', 'big', 'huge', '0', '1', '-1', '0.5', '1e308', '10**9', '10**6', '"ab"', "'x'", '[]', '[1, 2]', 'range(100000)', 'x', 'None'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '//', '%', '**', '==', '<', 'in', 'and', 'or', 'is'), tie('e')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    tie('e').map((e) => `-(${e})`),
    tie('e').map((e) => `not (${e})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([p, q, r]) => `(${p} if ${q} else ${r})`),
    fc.array(tie('e'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc.tuple(fc.constantFrom('max', 'min', 'sum', 'len', 'round', 'int', 'float', 'str', 'range', 'sorted', 'list', 'abs', 'any', 'math.sqrt', 'math.log', 'math.ceil'), fc.array(tie('e'), { maxLength: 3 }))
      .map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(tie('e'), tie('e')).map(([body, iterable]) => `[${body} for x in ${iterable}]`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([body, i, j]) => `[${body} for x in ${i} for y in ${j}]`),
    fc.tuple(tie('e'), tie('e')).map(([o, i]) => `(${o})[${i}]`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([o, i, j]) => `(${o})[${i}:${j}]`),
    fc.tuple(tie('e'), tie('e')).map(([body, arg]) => `(lambda x: ${body})(${arg})`),
    fc.tuple(tie('e'), fc.constantFrom('lower()', 'split()', "replace('a', 'aa')", 'index(1)', 'count(1)', 'upper()')).map(([o, m]) => `(${o}).${m}`),
  ),
})).e;

function parseOnlyTypedErrors(text: string): ReturnType<typeof parseExpression> | null {
  try {
    return parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return null;
    throw error;
  }
}

function evaluateOnlyTypedErrors(text: string): void {
  const tree = parseOnlyTypedErrors(text);
  if (!tree) return;
  const started = performance.now();
  try {
    evaluate(tree, scope);
  } catch (error) {
    if (!(error instanceof PythonError)) throw error;
  }
  expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS);
}

describe('setting formulas under fuzzing', () => {
  it('tokenizes and parses any text to a tree or a syntax error', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          tokenize(text);
        } catch (error) {
          if (!(error instanceof ExpressionSyntaxError)) throw error;
        }
        parseOnlyTypedErrors(text);
        const compiled = compileFormula(text);
        expect(compiled.tree === null).toBe(compiled.syntaxError !== null);
      }),
      { numRuns: RUNS },
    );
  });

  it('evaluates any token stream that parses to a value or a Python exception', () => {
    fc.assert(fc.property(tokenStream, evaluateOnlyTypedErrors), { numRuns: RUNS });
  });

  it('evaluates any well-formed formula to a value or a Python exception, in bounded time', () => {
    fc.assert(fc.property(formula, evaluateOnlyTypedErrors), { numRuns: RUNS });
  });

  it('parses formulas nested past any real one to a syntax error, not a crash', () => {
    for (const depth of [50, 500, 5_000, 50_000]) {
      for (const [open, close] of [['(', ')'], ['[', ']'], ['-', ''], ['not ', ''], ['f(', ')'], ['1 if 1 else ', ''], ['lambda: ', ''], ['2 ** ', '']]) {
        const text = `${open.repeat(depth)}1${close.repeat(depth)}`;
        parseOnlyTypedErrors(text);
        expect(compileFormula(text).syntaxError === null).toBe(compileFormula(text).tree !== null);
      }
      parseOnlyTypedErrors(`${'a.'.repeat(depth)}b`);
      parseOnlyTypedErrors(`a${'[0]'.repeat(depth)}`);
      evaluateOnlyTypedErrors(`${'-'.repeat(Math.min(depth, 400))}1`);
    }
  });

  it('stops formulas that would run or grow without end with a Python exception', () => {
    const stopped: Array<[string, string]> = [
      ['"ab" * 10**9', 'MemoryError'], ['"ab" * huge', 'MemoryError'], ['[1] * 10**9', 'MemoryError'], ["'x' * 1e308", 'MemoryError'],
      ['len([x for x in range(100000) for y in range(100000)])', 'MemoryError'],
      ['sum([x * y for x in range(10) for y in range(10) for z in range(10000)])', 'TimeoutError'], ['[str(range(100000)) for x in range(100000)]', 'MemoryError'],
      ['(lambda f: f(f))(lambda f: f(f))', 'RecursionError'], ["('a' * 100000).replace('a', 'a' * 100000)", 'MemoryError'],
      ['list(range(-10**9, 10**9))', 'MemoryError'], ['str([[1] * 10**5] * 10**5)', 'MemoryError'], ['[[1] * 10**5 for x in range(10**5)] == [[1] * 10**5 for x in range(10**5)]', 'MemoryError'], ['sorted()', 'TypeError'], ['enumerate()', 'TypeError'], ['filter(None)', 'TypeError'], ['reversed()', 'TypeError'],
    ];
    for (const [text, pythonType] of stopped) {
      const started = performance.now();
      expect(() => evaluate(parseExpression(text), scope), text).toThrow(PythonError);
      try {
        evaluate(parseExpression(text), scope);
      } catch (error) {
        expect((error as PythonError).pythonType, text).toBe(pythonType);
      }
      expect(performance.now() - started).toBeLessThan(CASE_LIMIT_MS);
    }
    // Large but finite arithmetic is just a float, as the formulas' numbers are.
    for (const text of ['huge ** huge', '2 ** 10**9', 'round(1.5, 10**9)', 'round(1.5, -10**9)', '"ab" * 1000']) evaluateOnlyTypedErrors(text);
    // An empty list repeated any number of times is empty, made without a step per repetition.
    expect(evaluate(parseExpression('[] * 10**9'), scope)).toEqual([]);
    expect(evaluate(parseExpression("'' * 10**9"), scope)).toBe('');
    expect(parseOnlyTypedErrors(`${'('.repeat(50_000)}1${')'.repeat(50_000)}`)).toBeNull();
  });
});
