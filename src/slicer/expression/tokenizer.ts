// Splits a Cura setting formula into tokens. Python's lexical rules for the parts formulas use:
// numbers (with exponents, hex and underscores), single- or double-quoted strings with escapes,
// names, operators and brackets. Line breaks inside a formula are treated as spaces.

export type TokenKind = 'number' | 'string' | 'name' | 'operator' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Parsed value for numbers and strings. */
  value?: number | string;
  /** Offset in the source, for error messages. */
  at: number;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

const operators = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '<', '>', '=', '(', ')', '[', ']', ',', '.', ':', '{', '}'];
const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\\') {
      i += 1;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && i + 1 < n && isDigit(source[i + 1]))) {
      if (c === '0' && (source[i + 1] === 'x' || source[i + 1] === 'X')) {
        i += 2;
        while (i < n && /[0-9a-fA-F_]/.test(source[i])) i += 1;
        tokens.push({ kind: 'number', text: source.slice(start, i), value: parseInt(source.slice(start + 2, i).replace(/_/g, ''), 16), at: start });
        continue;
      }
      while (i < n && (isDigit(source[i]) || source[i] === '_')) i += 1;
      if (source[i] === '.') {
        i += 1;
        while (i < n && (isDigit(source[i]) || source[i] === '_')) i += 1;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j += 1;
        if (isDigit(source[j] ?? '')) {
          i = j;
          while (i < n && isDigit(source[i])) i += 1;
        }
      }
      const text = source.slice(start, i);
      if (i < n && isNameStart(source[i])) throw new ExpressionSyntaxError(`invalid number "${text}${source[i]}"`, start);
      tokens.push({ kind: 'number', text, value: Number(text.replace(/_/g, '')), at: start });
      continue;
    }
    if (isNameStart(c)) {
      while (i < n && (isNameStart(source[i]) || isDigit(source[i]))) i += 1;
      // String prefixes such as r'…' or u'…'.
      const word = source.slice(start, i);
      if ((source[i] === "'" || source[i] === '"') && /^[rRuUbB]{1,2}$/.test(word)) {
        const parsed = readString(source, i, /r/i.test(word));
        tokens.push({ kind: 'string', text: source.slice(start, parsed.end), value: parsed.value, at: start });
        i = parsed.end;
        continue;
      }
      tokens.push({ kind: 'name', text: word, at: start });
      continue;
    }
    if (c === "'" || c === '"') {
      const parsed = readString(source, i, false);
      tokens.push({ kind: 'string', text: source.slice(start, parsed.end), value: parsed.value, at: start });
      i = parsed.end;
      continue;
    }
    const op = operators.find((candidate) => source.startsWith(candidate, i));
    if (!op) throw new ExpressionSyntaxError(`unexpected character "${c}"`, i);
    tokens.push({ kind: 'operator', text: op, at: start });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', at: n });
  return tokens;
}

function readString(source: string, quoteAt: number, raw: boolean): { value: string; end: number } {
  const quote = source[quoteAt];
  const triple = source.startsWith(quote.repeat(3), quoteAt);
  const closing = triple ? quote.repeat(3) : quote;
  let i = quoteAt + closing.length;
  let value = '';
  while (i < source.length) {
    if (source.startsWith(closing, i)) return { value, end: i + closing.length };
    const c = source[i];
    if (c === '\\' && !raw) {
      const next = source[i + 1] ?? '';
      if (next in escapes) {
        value += escapes[next];
        i += 2;
        continue;
      }
      if (next === '\n') {
        i += 2;
        continue;
      }
      value += '\\';
      i += 1;
      continue;
    }
    if (c === '\n' && !triple) break;
    value += c;
    i += 1;
  }
  throw new ExpressionSyntaxError('unterminated string', quoteAt);
}
