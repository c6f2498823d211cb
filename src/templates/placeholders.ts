/**
 * The variables a template string reads (`{{job}}`, `{{#if job}}`), found in its handlebars syntax
 * tree, with their place in the string. A variable that is not a param renders as "" without a word
 * from handlebars, so the template loader refuses them (template-file.ts).
 */
import Handlebars from 'handlebars';

export interface TemplateVariable {
  readonly name: string;
  /** Range in the string: the whole `{{name}}` for a plain placeholder, else the name. */
  readonly offset: number;
  readonly length: number;
}

export type VariablesResult = { readonly variables: readonly TemplateVariable[] } | { readonly error: string };

/** Blocks whose body sees the same context; others (`each`, `with`, custom helpers) may change it. */
const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

export function templateVariables(text: string): VariablesResult {
  if (!text.includes('{{')) return { variables: [] };
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch (e) {
    return { error: parseErrorReason((e as Error).message) };
  }
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const out: TemplateVariable[] = [];
  const add = (path: hbs.AST.PathExpression, loc: hbs.AST.SourceLocation) => {
    // @data (`@index`), parent scopes (`../x`) and `this` itself are not the template's vars.
    const name = path.parts[0];
    if (path.data || path.depth > 0 || name === undefined) return;
    const start = (lineStarts[loc.start.line - 1] ?? 0) + loc.start.column;
    const end = (lineStarts[loc.end.line - 1] ?? 0) + loc.end.column;
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
  return { variables: out };
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
  if (got !== undefined) return `unexpected ${TOKENS[got] ?? got}`;
  return message.split('\n')[0] ?? message;
}
