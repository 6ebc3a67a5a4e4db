// A recursive-descent parser for the Python expression grammar (the subset Cura's formulas use),
// following Python's precedence: lambda, conditional, or, and, not, comparisons, + -, * / // %,
// unary signs, **, then calls, attributes and subscripts.
import type { CompareOperator, Comprehension, ExpressionNode } from './syntax-tree.js';
import { ExpressionSyntaxError, tokenize, type Token } from './tokenizer.js';

const keywords = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'for', 'lambda', 'True', 'False', 'None']);

export function parseExpression(source: string): ExpressionNode {
  const tokens = tokenize(source);
  try {
    return new Parser(tokens).parseWhole();
  } catch (error) {
    // Brackets or operators nested deeper than the call stack allows: Python refuses these too.
    if (error instanceof RangeError) throw new ExpressionSyntaxError('the formula is nested too deeply', 0);
    throw error;
  }
}

class Parser {
  #pos = 0;

  constructor(private readonly tokens: Token[]) {}

  parseWhole(): ExpressionNode {
    if (this.#peek().kind === 'end') throw new ExpressionSyntaxError('empty expression', 0);
    const node = this.#testList();
    const rest = this.#peek();
    if (rest.kind !== 'end') throw new ExpressionSyntaxError(`unexpected "${rest.text}"`, rest.at);
    return node;
  }

  #peek(offset = 0): Token {
    return this.tokens[Math.min(this.#pos + offset, this.tokens.length - 1)];
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#pos += 1;
    return token;
  }

  #isOp(text: string, offset = 0): boolean {
    const token = this.#peek(offset);
    return token.kind === 'operator' && token.text === text;
  }

  #isWord(text: string, offset = 0): boolean {
    const token = this.#peek(offset);
    return token.kind === 'name' && token.text === text;
  }

  #expectOp(text: string): void {
    const token = this.#next();
    if (token.kind !== 'operator' || token.text !== text) {
      throw new ExpressionSyntaxError(`expected "${text}" but found "${token.text || 'end of formula'}"`, token.at);
    }
  }

  #expectWord(text: string): void {
    const token = this.#next();
    if (token.kind !== 'name' || token.text !== text) {
      throw new ExpressionSyntaxError(`expected "${text}" but found "${token.text || 'end of formula'}"`, token.at);
    }
  }

  /** `a, b` at the top level is a tuple, as in Python. */
  #testList(): ExpressionNode {
    const first = this.#test();
    if (!this.#isOp(',')) return first;
    const items = [first];
    while (this.#isOp(',')) {
      this.#next();
      if (this.#atExpressionEnd()) break;
      items.push(this.#test());
    }
    return { kind: 'tuple', items };
  }

  #atExpressionEnd(): boolean {
    const token = this.#peek();
    return token.kind === 'end' || (token.kind === 'operator' && (token.text === ')' || token.text === ']'));
  }

  #test(): ExpressionNode {
    if (this.#isWord('lambda')) return this.#lambda();
    const body = this.#orTest();
    if (this.#isWord('if')) {
      this.#next();
      const test = this.#orTest();
      this.#expectWord('else');
      const otherwise = this.#test();
      return { kind: 'conditional', test, then: body, otherwise };
    }
    return body;
  }

  /** The `test` of a comprehension's `if` clause may not be a bare conditional. */
  #testNoCond(): ExpressionNode {
    if (this.#isWord('lambda')) return this.#lambda();
    return this.#orTest();
  }

  #lambda(): ExpressionNode {
    this.#expectWord('lambda');
    const params: string[] = [];
    while (!this.#isOp(':')) {
      params.push(this.#identifier());
      if (this.#isOp(',')) this.#next();
      else break;
    }
    this.#expectOp(':');
    return { kind: 'lambda', params, body: this.#test() };
  }

  #identifier(): string {
    const token = this.#next();
    if (token.kind !== 'name' || keywords.has(token.text)) {
      throw new ExpressionSyntaxError(`expected a name but found "${token.text || 'end of formula'}"`, token.at);
    }
    return token.text;
  }

  #orTest(): ExpressionNode {
    const first = this.#andTest();
    if (!this.#isWord('or')) return first;
    const operands = [first];
    while (this.#isWord('or')) {
      this.#next();
      operands.push(this.#andTest());
    }
    return { kind: 'boolean', operator: 'or', operands };
  }

  #andTest(): ExpressionNode {
    const first = this.#notTest();
    if (!this.#isWord('and')) return first;
    const operands = [first];
    while (this.#isWord('and')) {
      this.#next();
      operands.push(this.#notTest());
    }
    return { kind: 'boolean', operator: 'and', operands };
  }

  #notTest(): ExpressionNode {
    if (this.#isWord('not')) {
      this.#next();
      return { kind: 'unary', operator: 'not', operand: this.#notTest() };
    }
    return this.#comparison();
  }

  #compareOperator(): CompareOperator | null {
    const token = this.#peek();
    if (token.kind === 'operator' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.#next();
      return token.text as CompareOperator;
    }
    if (this.#isWord('in')) {
      this.#next();
      return 'in';
    }
    if (this.#isWord('not') && this.#isWord('in', 1)) {
      this.#next();
      this.#next();
      return 'not in';
    }
    if (this.#isWord('is')) {
      this.#next();
      if (this.#isWord('not')) {
        this.#next();
        return 'is not';
      }
      return 'is';
    }
    return null;
  }

  #comparison(): ExpressionNode {
    const first = this.#arith();
    const operators: CompareOperator[] = [];
    const rest: ExpressionNode[] = [];
    for (let op = this.#compareOperator(); op; op = this.#compareOperator()) {
      operators.push(op);
      rest.push(this.#arith());
    }
    return operators.length === 0 ? first : { kind: 'compare', first, operators, rest };
  }

  #arith(): ExpressionNode {
    let left = this.#term();
    while (this.#isOp('+') || this.#isOp('-')) {
      const operator = this.#next().text as '+' | '-';
      left = { kind: 'binary', operator, left, right: this.#term() };
    }
    return left;
  }

  #term(): ExpressionNode {
    let left = this.#factor();
    while (this.#isOp('*') || this.#isOp('/') || this.#isOp('//') || this.#isOp('%')) {
      const operator = this.#next().text as '*' | '/' | '//' | '%';
      left = { kind: 'binary', operator, left, right: this.#factor() };
    }
    return left;
  }

  #factor(): ExpressionNode {
    if (this.#isOp('-') || this.#isOp('+')) {
      const operator = this.#next().text as '-' | '+';
      return { kind: 'unary', operator, operand: this.#factor() };
    }
    return this.#power();
  }

  #power(): ExpressionNode {
    const base = this.#trailers(this.#atom());
    if (this.#isOp('**')) {
      this.#next();
      // Right-associative, and binds tighter than a unary minus on its left: -2**2 == -4.
      return { kind: 'binary', operator: '**', left: base, right: this.#factor() };
    }
    return base;
  }

  #trailers(node: ExpressionNode): ExpressionNode {
    for (;;) {
      if (this.#isOp('(')) {
        this.#next();
        node = this.#callArguments(node);
      } else if (this.#isOp('.')) {
        this.#next();
        node = { kind: 'attribute', object: node, name: this.#identifier() };
      } else if (this.#isOp('[')) {
        this.#next();
        node = this.#subscript(node);
      } else {
        return node;
      }
    }
  }

  #subscript(object: ExpressionNode): ExpressionNode {
    let start: ExpressionNode | null = null;
    if (!this.#isOp(':')) start = this.#test();
    if (this.#isOp(':')) {
      this.#next();
      const stop = this.#isOp(']') ? null : this.#test();
      this.#expectOp(']');
      return { kind: 'slice', object, start, stop };
    }
    this.#expectOp(']');
    return { kind: 'subscript', object, index: start as ExpressionNode };
  }

  #callArguments(callee: ExpressionNode): ExpressionNode {
    const args: ExpressionNode[] = [];
    const keywords: { name: string; value: ExpressionNode }[] = [];
    while (!this.#isOp(')')) {
      if (this.#peek().kind === 'name' && this.#isOp('=', 1)) {
        const name = this.#identifier();
        this.#next();
        keywords.push({ name, value: this.#test() });
      } else {
        if (keywords.length) throw new ExpressionSyntaxError('positional argument after a keyword argument', this.#peek().at);
        const arg = this.#test();
        args.push(this.#isWord('for') ? this.#generator(arg, false) : arg);
      }
      if (this.#isOp(',')) this.#next();
      else break;
    }
    this.#expectOp(')');
    return { kind: 'call', callee, args, keywords };
  }

  #generator(element: ExpressionNode, list: boolean): ExpressionNode {
    const comprehensions: Comprehension[] = [];
    while (this.#isWord('for')) {
      this.#next();
      const targets = [this.#identifier()];
      while (this.#isOp(',')) {
        this.#next();
        targets.push(this.#identifier());
      }
      this.#expectWord('in');
      const iterable = this.#orTest();
      const conditions: ExpressionNode[] = [];
      while (this.#isWord('if')) {
        this.#next();
        conditions.push(this.#testNoCond());
      }
      comprehensions.push({ targets, iterable, conditions });
    }
    return { kind: 'generator', element, comprehensions, list };
  }

  #atom(): ExpressionNode {
    const token = this.#next();
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: token.value as number };
      case 'string': {
        // Adjacent string literals concatenate.
        let value = token.value as string;
        while (this.#peek().kind === 'string') value += this.#next().value as string;
        return { kind: 'string', value };
      }
      case 'name':
        if (token.text === 'True') return { kind: 'constant', value: true };
        if (token.text === 'False') return { kind: 'constant', value: false };
        if (token.text === 'None') return { kind: 'constant', value: null };
        if (keywords.has(token.text)) throw new ExpressionSyntaxError(`unexpected "${token.text}"`, token.at);
        return { kind: 'name', name: token.text };
      case 'operator':
        if (token.text === '(') return this.#parenthesised();
        if (token.text === '[') return this.#listDisplay();
        throw new ExpressionSyntaxError(`unexpected "${token.text}"`, token.at);
      default:
        throw new ExpressionSyntaxError('the formula ends too early', token.at);
    }
  }

  #parenthesised(): ExpressionNode {
    if (this.#isOp(')')) {
      this.#next();
      return { kind: 'tuple', items: [] };
    }
    const first = this.#test();
    if (this.#isWord('for')) {
      const generator = this.#generator(first, false);
      this.#expectOp(')');
      return generator;
    }
    if (!this.#isOp(',')) {
      this.#expectOp(')');
      return first;
    }
    const items = [first];
    while (this.#isOp(',')) {
      this.#next();
      if (this.#isOp(')')) break;
      items.push(this.#test());
    }
    this.#expectOp(')');
    return { kind: 'tuple', items };
  }

  #listDisplay(): ExpressionNode {
    if (this.#isOp(']')) {
      this.#next();
      return { kind: 'list', items: [] };
    }
    const first = this.#test();
    if (this.#isWord('for')) {
      const generator = this.#generator(first, true);
      this.#expectOp(']');
      return generator;
    }
    const items = [first];
    while (this.#isOp(',')) {
      this.#next();
      if (this.#isOp(']')) break;
      items.push(this.#test());
    }
    this.#expectOp(']');
    return { kind: 'list', items };
  }
}
