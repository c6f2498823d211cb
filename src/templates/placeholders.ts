/**
 * The variables a template string reads (`{{job}}`, `{{#if job}}`), found in its handlebars syntax
 * tree, with their place in the string. A variable that is not a param renders as "" without a word
 * from handlebars, so the template loader refuses them (template-file.ts). Also the expressions SLI
 * templates cannot use (partials, decorators, helpers slo does not provide), which would throw when
 * the template is rendered.
 */
import Handlebars from 'handlebars';

export interface TemplateVariable {
  readonly name: string;
  /** Range in the string: the whole `{{name}}` for a plain placeholder, else the name. */
  readonly offset: number;
  readonly length: number;
}

/**
 * An expression that would make rendering throw, or that SLI templates do not have: a partial, a
 * decorator, a helper slo does not provide, a helper used the wrong way.
 */
export interface UnsupportedExpression {
  /** The expression as written (its opening tag for a block), shortened when long. */
  readonly shown: string;
  /** Why it cannot be used, in words that complete "…, but ". */
  readonly reason: string;
  /** Range in the string: the expression (a block's opening tag). */
  readonly offset: number;
  readonly length: number;
}

export type VariablesResult =
  | { readonly variables: readonly TemplateVariable[]; readonly unsupported: readonly UnsupportedExpression[] }
  | { readonly error: string };

/** Blocks whose body sees the same context; others (`each`, `with`, custom helpers) may change it. */
const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

/**
 * The helpers SLI templates can call, with the number of arguments each takes. Templates are rendered
 * with handlebars' global instance (catalogue.ts), where slo registers no helper of its own: these are
 * handlebars' built-ins, less `log` (it prints to the console) and the internal `helperMissing` and
 * `blockHelperMissing`. Any other call throws when the template is rendered ("Missing helper").
 */
export const TEMPLATE_BLOCK_HELPERS: Readonly<Record<string, number>> = { if: 1, unless: 1, each: 1, with: 1 };
export const TEMPLATE_INLINE_HELPERS: Readonly<Record<string, number>> = { lookup: 2 };

const BLOCKS_LIST = 'they can use {{#if}}, {{#unless}}, {{#each}} and {{#with}}';
const HELPERS_LIST = 'they can use {{lookup}} and the blocks {{#if}}, {{#unless}}, {{#each}} and {{#with}}';

export function templateVariables(text: string): VariablesResult {
  if (!text.includes('{{')) return { variables: [], unsupported: [] };
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch (e) {
    return { error: parseErrorReason((e as Error).message) };
  }
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offsetOf = (p: hbs.AST.Position) => (lineStarts[p.line - 1] ?? 0) + p.column;
  const out: TemplateVariable[] = [];
  const add = (path: hbs.AST.PathExpression, loc: hbs.AST.SourceLocation) => {
    // @data (`@index`), parent scopes (`../x`) and `this` itself are not the template's vars.
    const name = path.parts[0];
    if (path.data || path.depth > 0 || name === undefined) return;
    const start = offsetOf(loc.start);
    const end = offsetOf(loc.end);
    out.push({ name, offset: start, length: Math.max(1, end - start) });
  };
  const expression = (e: hbs.AST.Expression) => {
    if (e.type === 'PathExpression') add(e as hbs.AST.PathExpression, e.loc);
    else if (e.type === 'SubExpression') call(e as hbs.AST.SubExpression);
  };
  // A helper call: its arguments are read from the context, its name is not.
  const call = (c: { params: hbs.AST.Expression[]; hash?: hbs.AST.Hash }) => {
    c.params.forEach(expression);
    c.hash?.pairs.forEach((p) => expression(p.value));
  };
  const program = (p: hbs.AST.Program | undefined) => {
    for (const s of p?.body ?? []) {
      if (s.type === 'MustacheStatement') {
        const m = s as hbs.AST.MustacheStatement;
        const path = m.path as hbs.AST.PathExpression;
        const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || (path.type === 'PathExpression' && Object.hasOwn(Handlebars.helpers, path.original));
        if (isCall) call(m);
        else if (path.type === 'PathExpression') add(path, m.loc);
      } else if (s.type === 'BlockStatement') {
        const b = s as hbs.AST.BlockStatement;
        call(b);
        if (SAME_CONTEXT_BLOCKS.has(b.path.original)) {
          program(b.program);
          program(b.inverse);
        }
      }
    }
  };
  program(ast);
  return { variables: out, unsupported: unsupportedExpressions(ast, text, offsetOf) };
}

type Call = { path: hbs.AST.Expression; params: hbs.AST.Expression[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation };

/**
 * Everything in the tree that rendering would throw on, or that SLI templates do not offer: partials,
 * decorators, calls of helpers other than TEMPLATE_BLOCK_HELPERS and TEMPLATE_INLINE_HELPERS (in
 * mustaches, blocks, `{{else name}}` chains and sub-expressions), block helpers used inline, and
 * helpers given the wrong number of arguments. Every branch is looked into: handlebars only fails on
 * the branch it renders, which depends on the vars.
 */
function unsupportedExpressions(ast: hbs.AST.Program, text: string, offsetOf: (p: hbs.AST.Position) => number): UnsupportedExpression[] {
  const out: UnsupportedExpression[] = [];
  const report = (from: number, to: number, reason: string) => {
    const written = text.slice(from, to).replace(/\s+/g, ' ');
    const shown = written.length > 60 ? `${written.slice(0, 57)}...${written.startsWith('(') ? ')' : '}}'}` : written;
    out.push({ shown, reason, offset: from, length: Math.max(1, to - from) });
  };
  const whole = (loc: hbs.AST.SourceLocation) => [offsetOf(loc.start), offsetOf(loc.end)] as const;
  // A block's range is all of it, body and {{/close}}: point at its opening tag instead.
  const openingTag = (loc: hbs.AST.SourceLocation, parts: ReadonlyArray<hbs.AST.Node | undefined>) => {
    let last = offsetOf(loc.start);
    for (const part of parts) if (part?.loc) last = Math.max(last, offsetOf(part.loc.end));
    const close = text.indexOf('}}', last);
    return [offsetOf(loc.start), close < 0 ? offsetOf(loc.end) : close + 2] as const;
  };
  const callParts = (c: Call) => [c.path, ...c.params, c.hash];
  /** The helper's name as written (`upper`, `"upper"`, `@root`, `a.b`). */
  const nameOf = (e: hbs.AST.Expression) => {
    if (e.type === 'StringLiteral' || e.type === 'NumberLiteral' || e.type === 'BooleanLiteral') return String((e as hbs.AST.StringLiteral).value);
    return e.loc ? text.slice(offsetOf(e.loc.start), offsetOf(e.loc.end)) : String((e as { original?: unknown }).original);
  };
  const simpleName = (e: hbs.AST.Expression): string | undefined => {
    const p = e as hbs.AST.PathExpression;
    return p.type === 'PathExpression' && !p.data && p.depth === 0 && p.parts.length === 1 ? p.parts[0] : undefined;
  };
  const arity = (name: string, c: Call, expected: number) =>
    c.params.length === expected ? undefined : `"${name}" takes ${expected === 1 ? 'exactly 1 argument' : `${expected} arguments`}, not ${c.params.length}`;

  /** Arguments: only sub-expressions can hold calls. */
  const args = (c: Call) => {
    c.params.forEach(expression);
    c.hash?.pairs.forEach((p) => expression(p.value));
  };
  const expression = (e: hbs.AST.Expression) => {
    if (e.type !== 'SubExpression') return;
    const sub = e as hbs.AST.SubExpression;
    inlineCall(sub, whole(sub.loc));
    args(sub);
  };
  /** `{{name args}}` or `(name args)`: a call of an inline helper. */
  const inlineCall = (c: Call, [from, to]: readonly [number, number]) => {
    const name = simpleName(c.path);
    const expected = name === undefined ? undefined : TEMPLATE_INLINE_HELPERS[name];
    if (name !== undefined && expected !== undefined) {
      const wrong = arity(name, c, expected);
      if (wrong) report(from, to, wrong);
    } else if (name !== undefined && Object.hasOwn(TEMPLATE_BLOCK_HELPERS, name)) {
      report(from, to, `"${name}" works only as a block: {{#${name} ...}}...{{/${name}}}`);
    } else {
      report(from, to, `"${nameOf(c.path)}" is not a helper SLI templates can use (${HELPERS_LIST})`);
    }
  };
  const program = (p: hbs.AST.Program | undefined) => {
    for (const s of p?.body ?? []) statement(s);
  };
  const statement = (s: hbs.AST.Statement) => {
    switch (s.type) {
      case 'MustacheStatement': {
        const m = s as hbs.AST.MustacheStatement;
        const name = simpleName(m.path);
        // {{name}} alone reads a var, unless a helper of that name exists: handlebars calls it then.
        const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || (name !== undefined && Object.hasOwn(Handlebars.helpers, name));
        if (isCall) inlineCall(m, whole(m.loc));
        args(m);
        return;
      }
      case 'BlockStatement': {
        const b = s as hbs.AST.BlockStatement;
        const at = openingTag(b.loc, callParts(b));
        const name = simpleName(b.path);
        const expected = name === undefined ? undefined : TEMPLATE_BLOCK_HELPERS[name];
        if (name !== undefined && expected !== undefined) {
          const wrong = arity(name, b, expected);
          if (wrong) report(...at, wrong);
        } else {
          const inverted = /^\{\{~?\s*\^/.test(text.slice(at[0], at[1]));
          const test = inverted ? 'unless' : 'if';
          const hint = name !== undefined && b.params.length === 0 && !Object.hasOwn(Handlebars.helpers, name) ? `; to test a param, write {{#${test} ${name}}}` : '';
          report(...at, `"${nameOf(b.path)}" is not a block helper SLI templates can use (${BLOCKS_LIST})${hint}`);
        }
        args(b);
        program(b.program);
        program(b.inverse);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = s as hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement;
        const at = s.type === 'PartialStatement' ? whole(p.loc) : openingTag(p.loc, [p.name, ...p.params, p.hash]);
        report(...at, 'SLI templates cannot include partials: write the text out');
        if (s.type === 'PartialBlockStatement') program((p as hbs.AST.PartialBlockStatement).program);
        return;
      }
      case 'Decorator': // the parser's name for it; the type definitions say DecoratorStatement
      case 'DecoratorStatement':
      case 'DecoratorBlock': {
        const d = s as hbs.AST.Decorator | hbs.AST.DecoratorBlock;
        const at = s.type === 'DecoratorBlock' ? openingTag(d.loc, callParts(d)) : whole(d.loc);
        report(...at, 'SLI templates cannot use decorators');
        if (s.type === 'DecoratorBlock') program((d as hbs.AST.DecoratorBlock).program);
        return;
      }
      default:
        return; // text, comments
    }
  };
  program(ast);
  return out.sort((a, b) => a.offset - b.offset);
}

/** Handlebars' grammar token names, as the user wrote them. */
const TOKENS: Readonly<Record<string, string>> = { CLOSE: '"}}"', CLOSE_UNESCAPED: '"}}}"', OPEN_ENDBLOCK: '"{{/"', OPEN: '"{{"', INVALID: 'character' };

/**
 * Handlebars reports a parse error as its parser's state over four lines ("Parse error on line 1:",
 * an excerpt, a caret, "Expecting 'ID', 'STRING', ..., got 'EOF'"); the last word is what helps.
 */
function parseErrorReason(message: string): string {
  const got = /got '([A-Z_]+)'\s*$/.exec(message)?.[1];
  if (got === 'EOF') return 'it ends inside a {{placeholder}} or a block: a "}}" or a {{/...}} is missing';
  // `{service:{{service}}}`: a Datadog tag filter around a placeholder; handlebars reads "}}}" as one token.
  if (got === 'CLOSE_UNESCAPED') return 'unexpected "}}}" (handlebars reads it as the end of a {{{placeholder}}}); to follow {{name}} with "}", write {{name~}} }';
  if (got !== undefined) return `unexpected ${TOKENS[got] ?? got}`;
  return message.split('\n')[0] ?? message;
}
