import Handlebars from 'handlebars';
import { error } from '../../diagnostics/diagnostic.js';
import { closest } from '../../spec/suggest.js';
import type { Rule } from '../rule.js';

/**
 * The variables alert texts are rendered with (AlertTextVars in src/model/alert-text.ts; a test keeps
 * the two lists equal). Handlebars renders an unknown name as nothing, so a typo would ship as a gap
 * in every page.
 */
export const MESSAGE_VARIABLES: readonly string[] = ['service', 'slo', 'sloId', 'team', 'objective', 'window', 'severity', 'description', 'runbook', 'dashboard', 'burnSummary'];
const HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);
/** Inside these blocks `this` changes, so names are not top-level variables any more. */
const CONTEXT_HELPERS = new Set(['each', 'with']);

interface Problem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

export const messageTemplates: Rule = {
  code: 'message-template',
  description: `messages.summary and messages.description are valid handlebars using only the alert variables (${MESSAGE_VARIABLES.join(', ')}).`,
  check({ documents, report }) {
    for (const doc of documents) {
      for (const field of ['summary', 'description'] as const) {
        const text = doc.spec.messages?.[field];
        if (text === undefined) continue;
        for (const p of templateProblems(text)) {
          report(error('message-template', `messages.${field}: ${p.message}`, doc.locateInScalar(['messages', field], p.offset, p.length)));
        }
      }
    }
  },
};

export function templateProblems(text: string): Problem[] {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch (e) {
    return [syntaxProblem(text, (e as Error).message)];
  }
  const problems: Problem[] = [];
  const offsetOf = (loc: hbs.AST.SourceLocation | undefined) => (loc ? lineColToOffset(text, loc.start.line, loc.start.column) : 0);
  const checkPath = (path: hbs.AST.PathExpression) => {
    if (path.data || path.original === 'this' || path.original.startsWith('this.') || path.original.startsWith('.') || path.depth > 0) return;
    const head = path.parts[0] ?? path.original;
    if (MESSAGE_VARIABLES.includes(head)) return;
    const guess = closest(head, MESSAGE_VARIABLES);
    const backendNative = head.startsWith('$') ? ' (backend placeholders such as {{$value}} are not passed through; the backend adds the observed value itself)' : '';
    const hint = guess ? `did you mean {{${guess}}}?` : `variables are ${MESSAGE_VARIABLES.join(', ')}`;
    problems.push({ offset: offsetOf(path.loc), length: path.original.length, message: `unknown variable "${path.original}"${backendNative}; ${hint}` });
  };
  const checkExpr = (node: hbs.AST.Node) => {
    if (node.type === 'PathExpression') checkPath(node as hbs.AST.PathExpression);
    else if (node.type === 'SubExpression') checkCall(node as hbs.AST.SubExpression);
  };
  const checkCall = (node: { path: hbs.AST.PathExpression | hbs.AST.Literal; params: hbs.AST.Expression[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation }) => {
    const path = node.path as hbs.AST.PathExpression;
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (isCall && path.type === 'PathExpression' && !HELPERS.has(path.original)) {
      problems.push({ offset: offsetOf(path.loc), length: path.original.length, message: `unknown helper "${path.original}"; helpers are ${[...HELPERS].join(', ')}` });
    } else if (!isCall && path.type === 'PathExpression') {
      checkPath(path);
    }
    node.params.forEach(checkExpr);
    node.hash?.pairs.forEach((p) => checkExpr(p.value));
  };
  const walk = (program: hbs.AST.Program | undefined) => {
    for (const s of program?.body ?? []) {
      if (s.type === 'MustacheStatement') checkCall(s as hbs.AST.MustacheStatement);
      else if (s.type === 'BlockStatement') {
        const block = s as hbs.AST.BlockStatement;
        const helper = block.path.original;
        if (HELPERS.has(helper)) {
          block.params.forEach(checkExpr);
          if (!CONTEXT_HELPERS.has(helper)) walk(block.program);
          walk(block.inverse);
        } else {
          checkCall(block);
          // A section over a variable ({{#runbook}}..{{/runbook}}) changes the context too.
        }
      } else if (s.type === 'PartialStatement' || s.type === 'PartialBlockStatement') {
        problems.push({ offset: offsetOf(s.loc), length: 3, message: 'partials ({{> name}}) are not available in alert texts' });
      }
    }
  };
  walk(ast);
  return problems;
}

/** Handlebars reports "Parse error on line L:\n<line>\n----^\nExpecting ..., got 'X'". */
function syntaxProblem(text: string, message: string): Problem {
  const lines = message.split('\n');
  const line = Number(/line (\d+)/.exec(lines[0] ?? '')?.[1] ?? 1);
  const got = /got '([^']+)'/.exec(message)?.[1];
  if (got === 'EOF') {
    const unclosed = unclosedBlock(text);
    if (unclosed) return unclosed;
  }
  const offset = errorOffset(text, line, lines[1] ?? '', lines[2]?.indexOf('^') ?? -1);
  const what =
    got === 'EOF' ? 'the text ends inside a {{...}} or an unclosed {{#block}}' : got !== undefined ? `unexpected ${got.toLowerCase().replace(/_/g, ' ')}` : (lines[0] ?? 'syntax error').replace(/ - \d+:\d+$/, '');
  return { offset: Math.min(offset, Math.max(0, text.length - 1)), length: 1, message: `not a valid handlebars template: ${what}` };
}

/**
 * For a template that ends too soon, handlebars can only point at its end; the useful place is the
 * block or mustache left open.
 */
function unclosedBlock(text: string): Problem | undefined {
  const open: Array<{ name: string; offset: number }> = [];
  for (const m of text.matchAll(/\{\{~?\s*([#^/])\s*([\w.-]+)/g)) {
    if (m[1] === '/') open.pop();
    else open.push({ name: m[2]!, offset: m.index });
  }
  const block = open.pop();
  if (block) return { offset: block.offset, length: block.name.length + 3, message: `{{#${block.name}}} is never closed: add {{/${block.name}}}` };
  const mustache = text.lastIndexOf('{{');
  if (mustache >= 0 && !text.includes('}}', mustache)) return { offset: mustache, length: 2, message: '"{{" is never closed: add "}}"' };
  return undefined;
}

/**
 * The snippet shows at most 20 characters before the error (prefixed "..." when cut), so the caret's
 * column is not the column in the line; find the snippet's text in the line instead.
 */
function errorOffset(text: string, line: number, snippet: string, caret: number): number {
  const lineStart = lineColToOffset(text, line, 0);
  if (caret < 0) return lineStart;
  const before = snippet.slice(0, caret).replace(/^\.\.\./, '');
  const at = before === '' ? lineStart : text.indexOf(before, lineStart);
  return at < 0 ? lineStart : at + before.length;
}

function lineColToOffset(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  return offset + column;
}
