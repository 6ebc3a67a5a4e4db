// The syntax tree of the Python expression subset that Cura's setting formulas use. Produced by
// `parseExpression`, walked by the interpreter and by the dependency scan.

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**';
export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export interface Comprehension {
  /** Names bound by the `for` target (a single name or a tuple of names). */
  targets: string[];
  iterable: ExpressionNode;
  conditions: ExpressionNode[];
}

export type ExpressionNode =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'constant'; value: boolean | null }
  | { kind: 'name'; name: string }
  | { kind: 'list'; items: ExpressionNode[] }
  | { kind: 'tuple'; items: ExpressionNode[] }
  | { kind: 'unary'; operator: '-' | '+' | 'not'; operand: ExpressionNode }
  | { kind: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'boolean'; operator: 'and' | 'or'; operands: ExpressionNode[] }
  | { kind: 'compare'; first: ExpressionNode; operators: CompareOperator[]; rest: ExpressionNode[] }
  | { kind: 'conditional'; test: ExpressionNode; then: ExpressionNode; otherwise: ExpressionNode }
  | { kind: 'call'; callee: ExpressionNode; args: ExpressionNode[]; keywords: { name: string; value: ExpressionNode }[] }
  | { kind: 'attribute'; object: ExpressionNode; name: string }
  | { kind: 'subscript'; object: ExpressionNode; index: ExpressionNode }
  | { kind: 'slice'; object: ExpressionNode; start: ExpressionNode | null; stop: ExpressionNode | null }
  | { kind: 'generator'; element: ExpressionNode; comprehensions: Comprehension[]; list: boolean }
  | { kind: 'lambda'; params: string[]; body: ExpressionNode };
