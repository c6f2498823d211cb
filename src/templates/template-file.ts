/**
 * One SLI template file → a template, or diagnostics at the place in the file to fix: the key that
 * is missing or of the wrong type, the `{{placeholder}}` that names no param. Nothing is thrown.
 */
import { LineCounter, parseDocument } from 'yaml';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceMap, type PathSegment } from '../spec/source-map.js';
import { closest } from '../spec/suggest.js';
import type { SpecSli } from '../spec/types.js';
import type { SliTemplate, TemplateParam } from './catalogue.js';
import { templateVariables } from './placeholders.js';

/** The compiler's own placeholder, left in the instantiated SLI (catalogue.ts). */
const BUILT_IN_VARIABLES = new Set(['window']);

export interface TemplateFile {
  /** Undefined when the file has errors that keep it from being used. */
  readonly template?: SliTemplate;
  /** The template's name when the file gives one, loaded or not. */
  readonly name?: string;
  readonly diagnostics: Diagnostic[];
}

export function parseTemplateFile(file: string, text: string): TemplateFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const map = new SourceMap(file, { doc, lines }, text);
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = map.pos(firstError.pos[0]);
    return { diagnostics: [error('template-invalid', `SLI template is not valid YAML: ${firstError.message.split('\n')[0]}`, { file, start: pos, end: pos })] };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return { diagnostics: [error('template-invalid', 'SLI template YAML aliases expand too far (more than 100 expansions)', map.fileStart())] };
  }
  const shape = checkShape(raw, map);
  if (!shape.ok) {
    const name = isMapping(raw) && typeof raw['name'] === 'string' ? raw['name'] : undefined;
    return name === undefined ? { diagnostics: shape.diagnostics } : { name, diagnostics: shape.diagnostics };
  }
  const { name, sli, params } = shape;
  const template: SliTemplate = { name, description: String(shape.raw['description'] ?? ''), params, sli: sli as SpecSli, file };
  const placeholders = checkPlaceholders(template, map);
  // A string handlebars cannot parse, or one calling a helper slo does not have, would throw when
  // rendered: such a template is not loaded.
  return placeholders.unrenderable ? { name, diagnostics: placeholders.diagnostics } : { template, name, diagnostics: placeholders.diagnostics };
}

type Shape =
  | { ok: true; raw: Record<string, unknown>; name: string; sli: Record<string, unknown>; params: Record<string, TemplateParam> }
  | { ok: false; diagnostics: Diagnostic[] };

/** name (string), sli (mapping), params (mapping of mappings, patterns that compile): every problem at once. */
function checkShape(raw: unknown, map: SourceMap): Shape {
  const diagnostics: Diagnostic[] = [];
  const bad = (summary: string, at: readonly PathSegment[]) => diagnostics.push(error('template-invalid', summary, map.locate(at)));
  if (!isMapping(raw)) {
    bad(`SLI template must be a mapping with "name", "sli" and optionally "description" and "params", not ${describe(raw)}`, []);
    return { ok: false, diagnostics };
  }
  const name = raw['name'];
  if (name === undefined) bad('SLI template is missing "name": the name specs give in sli.template', []);
  else if (typeof name !== 'string' || name === '') bad(`SLI template "name" must be a non-empty string, not ${describe(name)}`, ['name']);
  const sli = raw['sli'];
  if (sli === undefined) bad('SLI template is missing "sli": the SLI (events or latency) with {{param}} placeholders', []);
  else if (!isMapping(sli)) bad(`SLI template "sli" must be a mapping (events or latency), not ${describe(sli)}`, ['sli']);
  const params: Record<string, TemplateParam> = {};
  const rawParams = raw['params'] ?? {};
  if (!isMapping(rawParams)) {
    bad(`SLI template "params" must be a mapping of param names to { description, required, default, pattern }, not ${describe(rawParams)}`, ['params']);
  } else {
    for (const [key, value] of Object.entries(rawParams)) {
      const param = checkParam(key, value ?? {}, (summary, at) => bad(summary, ['params', key, ...at]));
      if (param) params[key] = param;
    }
  }
  if (diagnostics.length > 0 || typeof name !== 'string' || !isMapping(sli)) return { ok: false, diagnostics };
  return { ok: true, raw, name, sli, params };
}

function checkParam(key: string, value: unknown, bad: (summary: string, at: readonly PathSegment[]) => void): TemplateParam | undefined {
  if (!isMapping(value)) {
    bad(`param "${key}" must be a mapping such as { description: ..., required: true }, not ${describe(value)}`, []);
    return undefined;
  }
  const source = value['pattern'];
  let pattern: RegExp | undefined;
  if (source !== undefined) {
    try {
      pattern = typeof source === 'string' ? new RegExp(source) : undefined;
      if (!pattern) bad(`the pattern of param "${key}" must be a string (a regular expression), not ${describe(source)}`, ['pattern']);
    } catch (e) {
      bad(`the pattern of param "${key}" is not a valid regular expression: ${(e as Error).message}`, ['pattern']);
    }
  }
  return {
    required: value['required'] === true,
    ...(typeof value['description'] === 'string' ? { description: value['description'] } : {}),
    ...(value['default'] !== undefined ? { default: String(value['default']) } : {}),
    ...(pattern ? { pattern } : {}),
  };
}

/**
 * Every `{{variable}}` in the SLI names a param (or is `{{window}}`). An undeclared one renders as ""
 * and silently changes the SLI (`job="{{jobb}}"` selects series without a job label). Every string
 * parses as handlebars and uses no partial, decorator or helper that SLI templates do not have: those
 * would throw when the template is rendered.
 */
function checkPlaceholders(template: SliTemplate, map: SourceMap): { diagnostics: Diagnostic[]; unrenderable: boolean } {
  const diagnostics: Diagnostic[] = [];
  let unrenderable = false;
  const declared = Object.keys(template.params);
  const visit = (node: unknown, path: readonly PathSegment[]) => {
    if (typeof node === 'string') {
      const result = templateVariables(node);
      const where = ['sli', ...path].join('.');
      if ('error' in result) {
        unrenderable = true;
        diagnostics.push(error('template-invalid', `${where} of SLI template "${template.name}" is not a valid handlebars template: ${result.error}`, map.locate(['sli', ...path])));
        return;
      }
      for (const u of result.unsupported) {
        unrenderable = true;
        diagnostics.push(error('template-invalid', `SLI template "${template.name}" uses ${u.shown} in ${where}, but ${u.reason}`, map.locateInScalar(['sli', ...path], u.offset, u.length)));
      }
      for (const v of result.variables) {
        if (BUILT_IN_VARIABLES.has(v.name) || Object.hasOwn(template.params, v.name)) continue;
        const guess = closest(v.name, declared);
        const hint = guess ? `did you mean {{${guess}}}?` : declared.length > 0 ? `declare it under params (its params are ${declared.join(', ')})` : 'declare it under params';
        diagnostics.push(
          error(
            'template-undeclared-var',
            `SLI template "${template.name}" uses {{${v.name}}} in ${where}, but has no param "${v.name}" (it would render as ""); ${hint}`,
            map.locateInScalar(['sli', ...path], v.offset, v.length),
          ),
        );
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i]));
    } else if (isMapping(node)) {
      for (const [key, value] of Object.entries(node)) visit(value, [...path, key]);
    }
  };
  visit(template.sli, []);
  return { diagnostics, unrenderable };
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'a mapping';
  return `${typeof x} ${JSON.stringify(x)}`;
}
