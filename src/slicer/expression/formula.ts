// A compiled setting formula: its source, its tree (or why it does not parse), and the setting keys
// it reads, for the dependency graph. Formulas are shared: one parse per distinct source text.
import { builtins } from './builtins.js';
import { parseExpression } from './parser.js';
import type { ExpressionNode } from './syntax-tree.js';
import { ExpressionSyntaxError } from './tokenizer.js';

export interface Formula {
  source: string;
  tree: ExpressionNode | null;
  /** Why the formula does not parse, for a person. */
  syntaxError: string | null;
  /** Every bare name and every string literal: the candidates for setting keys it reads. */
  references: ReadonlySet<string>;
  /** Whether it calls a function whose result depends on which extruders exist. */
  readsExtruderList: boolean;
}

const cache = new Map<string, Formula>();

export function compileFormula(source: string): Formula {
  let formula = cache.get(source);
  if (!formula) {
    formula = compile(source);
    cache.set(source, formula);
  }
  return formula;
}

function compile(source: string): Formula {
  try {
    const tree = parseExpression(source);
    const references = new Set<string>();
    const flags = { readsExtruderList: false };
    collectReferences(tree, new Set(), references, flags);
    return { source, tree, syntaxError: null, references, readsExtruderList: flags.readsExtruderList };
  } catch (error) {
    const message =
      error instanceof ExpressionSyntaxError
        ? `${error.message} at character ${error.at + 1}`
        : error instanceof Error
          ? error.message
          : String(error);
    return { source, tree: null, syntaxError: message, references: new Set(), readsExtruderList: false };
  }
}

const extruderListFunctions = new Set([
  'extruderValues',
  'defaultExtruderPosition',
  'extruderValue',
  'anyExtruderWithMaterial',
  'anyExtruderNrWithOrDefault',
  'extruderValueFromContainer',
]);

function collectReferences(node: ExpressionNode, bound: Set<string>, out: Set<string>, flags: { readsExtruderList: boolean }): void {
  const visit = (child: ExpressionNode, inner = bound) => collectReferences(child, inner, out, flags);
  switch (node.kind) {
    case 'number':
    case 'constant':
      return;
    case 'string':
      out.add(node.value);
      return;
    case 'name':
      if (!bound.has(node.name) && !Object.prototype.hasOwnProperty.call(builtins, node.name)) out.add(node.name);
      if (extruderListFunctions.has(node.name)) flags.readsExtruderList = true;
      return;
    case 'list':
    case 'tuple':
      node.items.forEach((item) => visit(item));
      return;
    case 'unary':
      visit(node.operand);
      return;
    case 'binary':
      visit(node.left);
      visit(node.right);
      return;
    case 'boolean':
      node.operands.forEach((operand) => visit(operand));
      return;
    case 'compare':
      visit(node.first);
      node.rest.forEach((item) => visit(item));
      return;
    case 'conditional':
      visit(node.test);
      visit(node.then);
      visit(node.otherwise);
      return;
    case 'call':
      visit(node.callee);
      node.args.forEach((arg) => visit(arg));
      node.keywords.forEach((keyword) => visit(keyword.value));
      return;
    case 'attribute':
      visit(node.object);
      return;
    case 'subscript':
      visit(node.object);
      visit(node.index);
      return;
    case 'slice':
      visit(node.object);
      if (node.start) visit(node.start);
      if (node.stop) visit(node.stop);
      return;
    case 'generator': {
      const inner = new Set(bound);
      for (const clause of node.comprehensions) {
        visit(clause.iterable, inner);
        clause.targets.forEach((target) => inner.add(target));
        clause.conditions.forEach((condition) => visit(condition, inner));
      }
      visit(node.element, inner);
      return;
    }
    case 'lambda': {
      const inner = new Set(bound);
      node.params.forEach((param) => inner.add(param));
      visit(node.body, inner);
      return;
    }
  }
}
