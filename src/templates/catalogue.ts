/**
 * SLI templates: reusable SLIs with named parameters (`template: http-availability, vars: {job: x}`).
 * Built-in templates live in src/templates/sli/; a team adds its own in a directory given with
 * `--templates DIR` (default `sli-templates/` when it exists). A team template overrides a built-in one
 * of the same name, as the README documents (a team's metrics may differ from the client libraries'
 * the built-ins assume). Two team templates of one name are an error: whichever won, the other file
 * would be ignored without a word.
 */
import { readdirSync, readFileSync, existsSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { LineCounter, parseDocument } from 'yaml';
import { assetPath } from '../assets.js';
import { error, type Diagnostic, type Result, type SourceRange } from '../diagnostics/diagnostic.js';
import { escapeDatadogTagValue, escapeKqlString, escapePromString } from '../model/query.js';
import { MAX_FILE_BYTES } from '../spec/load.js';
import { SourceMap } from '../spec/source-map.js';
import type { SpecSli } from '../spec/types.js';
import { parseTemplateFile } from './template-file.js';

export interface TemplateParam {
  readonly description?: string;
  readonly required: boolean;
  readonly default?: string;
  readonly pattern?: RegExp;
}

export interface SliTemplate {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, TemplateParam>>;
  /** The SLI with `{{param}}` placeholders; `{{window}}` is left for the compiler. */
  readonly sli: SpecSli;
  readonly file: string;
}

export type TemplateCatalogue = ReadonlyMap<string, SliTemplate>;

export const DEFAULT_TEMPLATES_DIR = 'sli-templates';

export function loadTemplateCatalogue(extraDirs: readonly string[] = []): Result<TemplateCatalogue> {
  const diagnostics: Diagnostic[] = [];
  const out = new Map<string, SliTemplate>();
  const broken = new Set<string>();
  const builtInDir = assetPath('src', 'templates', 'sli');
  /** The file that first gave each name, loaded or not, and whether it is a built-in one. */
  const definedIn = new Map<string, { file: string; builtIn: boolean }>();
  for (const dir of [builtInDir, ...extraDirs]) {
    if (!existsSync(dir)) continue;
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch (e) {
      diagnostics.push(error('file-unreadable', `cannot read the SLI templates folder ${dir}: ${(e as Error).message}`, at(dir)));
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const text = readTemplateFile(file, diagnostics);
      if (text === undefined) continue;
      const parsed = parseTemplateFile(file, text);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.name === undefined) continue;
      const builtIn = dir === builtInDir;
      const first = definedIn.get(parsed.name);
      if (first !== undefined && !(first.builtIn && !builtIn)) {
        diagnostics.push(duplicateTemplate(parsed.name, file, text, first.file));
        // Which of the two a spec meant is anyone's guess: the name is treated as unloadable, so
        // specs using it get this error and not others checked against the wrong template.
        out.delete(parsed.name);
        broken.add(parsed.name);
        continue;
      }
      definedIn.set(parsed.name, { file, builtIn });
      if (parsed.template) out.set(parsed.name, parsed.template);
      else {
        // A broken team template hides the built-in of its name too: the team meant its own.
        out.delete(parsed.name);
        broken.add(parsed.name);
      }
    }
  }
  unloadable.set(out, broken);
  return { value: out, diagnostics };
}

/** At the second file's `name`, naming the first file relative to it (as duplicate-service does). */
function duplicateTemplate(name: string, file: string, text: string, firstFile: string): Diagnostic {
  const other = path.relative(path.dirname(file), firstFile).split(path.sep).join('/');
  return error('duplicate-template', `SLI template "${name}" is already defined in ${other}; template names must be unique`, nameRange(file, text));
}

/** The `name` value of a template file. Parsed again: this is only needed for a duplicate, which is rare. */
function nameRange(file: string, text: string): SourceRange {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return new SourceMap(file, { doc, lines }, text).locate(['name']);
}

/**
 * A template file's text, or undefined with the reason in `diagnostics` (as the spec loader says it).
 * A folder with a template's name (`x.yaml/`) is skipped: templates are the folder's own files.
 */
function readTemplateFile(file: string, diagnostics: Diagnostic[]): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(file); // follows symbolic links
  } catch (e) {
    const broken = (e as NodeJS.ErrnoException).code === 'ENOENT';
    diagnostics.push(
      broken ? error('broken-link', `${file} is a symbolic link to a file that does not exist`, at(file)) : error('file-unreadable', `cannot read file: ${(e as Error).message}`, at(file)),
    );
    return undefined;
  }
  if (stats.isDirectory()) return undefined;
  if (!stats.isFile()) {
    diagnostics.push(error('not-a-file', `${file} is not a regular file (a pipe, socket or device); SLI template files must be files`, at(file)));
    return undefined;
  }
  if (stats.size > MAX_FILE_BYTES) {
    diagnostics.push(error('file-too-large', `file is ${stats.size} bytes; SLI template files are limited to ${MAX_FILE_BYTES} bytes`, at(file)));
    return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    diagnostics.push(error('file-unreadable', `cannot read file: ${(e as Error).message}`, at(file)));
    return undefined;
  }
}

function at(file: string): SourceRange {
  return { file, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };
}

/**
 * Names of templates whose files could not be loaded (their errors are reported at the file), so a
 * spec naming one is not told the template does not exist as well.
 */
export function unloadableTemplates(catalogue: TemplateCatalogue): ReadonlySet<string> {
  return unloadable.get(catalogue) ?? NONE;
}

const unloadable = new WeakMap<TemplateCatalogue, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

export type VarProblem =
  | { kind: 'missing'; name: string }
  | { kind: 'unknown'; name: string; known: readonly string[] }
  | { kind: 'pattern'; name: string; value: string; pattern: string }
  | { kind: 'placeholder'; name: string; value: string };

/** Checks vars against a template's params; every problem is returned, none thrown. */
export function checkVars(template: SliTemplate, vars: Readonly<Record<string, unknown>>): VarProblem[] {
  const problems: VarProblem[] = [];
  for (const [name, p] of Object.entries(template.params)) {
    const v = vars[name];
    if (v === undefined) {
      if (p.required && p.default === undefined) problems.push({ kind: 'missing', name });
      continue;
    }
    if (p.pattern && !p.pattern.test(String(v))) problems.push({ kind: 'pattern', name, value: String(v), pattern: p.pattern.source });
    // Rendered into the query first, a value's `{{window}}` would then be replaced by every alert
    // window in turn: `job="{{window}}"` would select job="5m", job="1h", ...
    else if (/\{\{|\}\}/.test(String(v))) problems.push({ kind: 'placeholder', name, value: String(v) });
  }
  for (const name of Object.keys(vars)) {
    if (!(name in template.params)) problems.push({ kind: 'unknown', name, known: Object.keys(template.params) });
  }
  return problems;
}

/**
 * Instantiates a template. Values are escaped for the query language they land in (a `"` in a job name
 * cannot break out of a PromQL string). `{{window}}` survives for the compiler.
 *
 * Validation and the model both instantiate every templated SLI; the result is remembered per vars
 * object (spec data, never changed after loading) and template, so each SLI is rendered once. Callers
 * share the result and must not change it.
 *
 * Throws when handlebars does (a helper it does not have): validation calls tryInstantiate and reports
 * that, so the model, built only from valid specs, never sees it.
 */
export function instantiate(template: SliTemplate, vars: Readonly<Record<string, unknown>>): SpecSli {
  const result = tryInstantiate(template, vars);
  if ('error' in result) throw new Error(`SLI template "${template.name}" cannot be rendered: ${result.error}`);
  return result.sli;
}

export type Instantiation = { readonly sli: SpecSli } | { readonly error: string };

/**
 * instantiate, with handlebars' errors returned instead of thrown. The template loader refuses what
 * it knows would throw (placeholders.ts); this is the last line of defence, so a template can never
 * crash validation.
 */
export function tryInstantiate(template: SliTemplate, vars: Readonly<Record<string, unknown>>): Instantiation {
  const hit = instantiated.get(vars);
  if (hit?.template === template) return hit.result;
  let result: Instantiation;
  try {
    result = { sli: render(template, vars) };
  } catch (e) {
    // Handlebars' parse errors run over several lines (an excerpt and a caret); the first says it.
    const message = e instanceof Error ? e.message : String(e);
    result = { error: message.split('\n')[0] ?? message };
  }
  instantiated.set(vars, { template, result });
  return result;
}

/** Weakly keyed by the vars object, so it lives no longer than the specs that hold it. */
const instantiated = new WeakMap<object, { template: SliTemplate; result: Instantiation }>();

function render(template: SliTemplate, vars: Readonly<Record<string, unknown>>): SpecSli {
  const values: Record<string, string> = {};
  for (const [name, p] of Object.entries(template.params)) {
    const v = vars[name] ?? p.default;
    if (v !== undefined) values[name] = String(v);
  }
  // The context for each escaping (plain, PromQL, Datadog, KQL), built on first use, not per string.
  const contexts = new Map<(s: string) => string, Record<string, string>>();
  const contextFor = (escape: (s: string) => string): Record<string, string> => {
    let context = contexts.get(escape);
    if (!context) {
      const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escape(v)]));
      context = { ...escaped, window: '{{window}}' };
      contexts.set(escape, context);
    }
    return context;
  };
  const walk = (node: unknown, escape: (s: string) => string): unknown => {
    if (typeof node === 'string') return compiledTemplate(node)(contextFor(escape));
    if (Array.isArray(node)) return node.map((n) => walk(n, escape));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, escaperFor(k, escape))]));
    }
    return node;
  };
  return walk(template.sli, identity) as SpecSli;
}

const identity = (s: string): string => s;

type Renderer = (context: Readonly<Record<string, string>>) => string;

const compiledTemplates = new Map<string, Renderer>();

/** Templates are instantiated once per SLO that uses them: compile each string once. */
function compiledTemplate(text: string): Renderer {
  let t = compiledTemplates.get(text);
  if (!t) {
    const handlebars = Handlebars.compile(text, { noEscape: true, strict: false });
    const pieces = substitutionPieces(text);
    t = pieces ? (context) => substitute(pieces, context) ?? handlebars(context) : handlebars;
    compiledTemplates.set(text, t);
  }
  return t;
}

/**
 * Template strings are text with `{{name}}` placeholders. For those, rendering is concatenation, and a
 * handlebars call (which sets up helpers and data frames every time) costs far more than the string.
 * `substitutionPieces` returns the text as handlebars parsed it, with its escapes and whitespace
 * control applied: literal strings alternating with the names of plain `{{name}}` mustaches. Anything
 * else (blocks, helpers with arguments, paths, literals, comments) gets undefined and handlebars.
 */
function substitutionPieces(text: string): Array<string | { name: string }> | undefined {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch {
    return undefined; // handlebars reports the error when the template is rendered, as before
  }
  const pieces: Array<string | { name: string }> = [];
  for (const s of ast.body) {
    if (s.type === 'ContentStatement') {
      pieces.push((s as hbs.AST.ContentStatement).value);
      continue;
    }
    if (s.type !== 'MustacheStatement') return undefined;
    const m = s as hbs.AST.MustacheStatement;
    const path = m.path as hbs.AST.PathExpression;
    if (path.type !== 'PathExpression' || path.data || path.depth !== 0 || path.parts.length !== 1 || m.params.length > 0 || m.hash) return undefined;
    pieces.push({ name: path.parts[0]! });
  }
  return pieces;
}

/**
 * What handlebars renders for the pieces, or undefined to let handlebars render them: when a name is
 * a registered helper (handlebars would call it), is not a value of the context (handlebars asks its
 * helperMissing hook) or is inherited by every object (handlebars refuses it with a warning).
 */
function substitute(pieces: ReadonlyArray<string | { name: string }>, context: Readonly<Record<string, string>>): string | undefined {
  let out = '';
  for (const p of pieces) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const { name } = p;
    if (name in Object.prototype || Object.hasOwn(Handlebars.helpers, name) || !Object.hasOwn(context, name)) return undefined;
    const value = context[name];
    if (typeof value !== 'string') return undefined;
    out += value;
  }
  return out;
}

function escaperFor(key: string, current: (s: string) => string): (s: string) => string {
  if (key === 'prometheus') return escapePromString;
  if (key === 'datadog') return escapeDatadogTagValue;
  if (key === 'elasticsearch') return escapeKqlString;
  return current;
}
