/**
 * Ways through a spec that several rules share: every SLO, every alert severity that is on, every query
 * of an SLI (written in the spec or instantiated from a template). Rules stay a few lines each.
 */
import type { SourceRange } from '../../diagnostics/diagnostic.js';
import { Duration } from '../../model/duration.js';
import { DEFAULT_SLO_WINDOW } from '../../model/from-spec.js';
import type { SpecDocument } from '../../spec/document.js';
import type { PathSegment } from '../../spec/source-map.js';
import type { SpecSeverity, SpecSli, SpecSlo } from '../../spec/types.js';
import { checkVars, tryInstantiate, type SliTemplate, type TemplateCatalogue } from '../../templates/catalogue.js';

export interface SloRef {
  readonly doc: SpecDocument;
  readonly index: number;
  readonly slo: SpecSlo;
  /** `['slos', index]` */
  readonly path: readonly PathSegment[];
}

export function* eachSlo(documents: readonly SpecDocument[]): Generator<SloRef> {
  for (const doc of documents) {
    for (const [index, slo] of doc.spec.slos.entries()) yield { doc, index, slo, path: ['slos', index] };
  }
}

/** SLO windows outside these bounds are refused by the durations rule. */
export const MIN_SLO_WINDOW = Duration.parse('1d')!;
export const MAX_SLO_WINDOW = Duration.parse('365d')!;

/**
 * The SLO window (default 30d), or undefined when it is out of bounds: rules that reason about windows
 * skip such SLOs rather than pile consequences onto the one error that matters.
 */
export function usableSloWindow(slo: SpecSlo): Duration | undefined {
  const window = Duration.parse(slo.window ?? DEFAULT_SLO_WINDOW);
  return window && window.ms >= MIN_SLO_WINDOW.ms && window.ms <= MAX_SLO_WINDOW.ms ? window : undefined;
}

export const SEVERITIES = ['page', 'ticket'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

export interface SeverityRef {
  readonly name: SeverityName;
  /** The severity's settings; `{}` when the spec leaves them to the defaults. */
  readonly spec: SpecSeverity;
  /** True when the spec has a `page:`/`ticket:` mapping; false when the severity is on by default. */
  readonly explicit: boolean;
  /** `['slos', i, 'alerting', name]` */
  readonly path: readonly PathSegment[];
}

/** The alert severities that will be generated for an SLO (alerting omitted means page and ticket). */
export function enabledSeverities(ref: SloRef): SeverityRef[] {
  const alerting = ref.slo.alerting;
  if (alerting === false) return [];
  const out: SeverityRef[] = [];
  for (const name of SEVERITIES) {
    const sev = alerting?.[name];
    if (sev === false) continue;
    out.push({ name, spec: sev ?? {}, explicit: sev !== undefined, path: [...ref.path, 'alerting', name] });
  }
  return out;
}

export type Backend = 'prometheus' | 'datadog' | 'elasticsearch';

/** What a query string is for; decides which checks apply. */
export type QueryRole = 'ratio' | 'histogram' | 'distribution' | 'kql';

export interface QueryRef {
  readonly backend: Backend;
  readonly role: QueryRole;
  /** Where it sits in the SLI: `events.prometheus.total`. */
  readonly field: string;
  readonly text: string;
  /** Set when the query was instantiated from an SLI template. */
  readonly template?: string;
  /** Range of the whole query (for a template: the key that instantiated it). */
  locate(): SourceRange;
  /** Range of characters of `text` (for a template: the key that instantiated it). */
  locateIn(offset: number, length: number): SourceRange;
}

/** Every query of an SLO's SLI, written or instantiated from a template whose vars are valid. */
export function sliQueries(ref: SloRef, templates: TemplateCatalogue): QueryRef[] {
  // Several rules walk the same SLO's queries; a template is instantiated once per SLO, not per rule.
  // A spec SLO object belongs to one document and index, so it keys the memo with the catalogue.
  const memo = queryMemo.get(ref.slo);
  if (memo?.templates === templates) return memo.queries;
  const queries = computeSliQueries(ref, templates);
  queryMemo.set(ref.slo, { templates, queries });
  return queries;
}

const queryMemo = new WeakMap<SpecSlo, { templates: TemplateCatalogue; queries: QueryRef[] }>();

function computeSliQueries(ref: SloRef, templates: TemplateCatalogue): QueryRef[] {
  const sliPath = [...ref.path, 'sli'];
  const sli = ref.slo.sli;
  if (sli.template === undefined) {
    return queriesOf(sli).map((q) => ({
      ...q,
      locate: () => ref.doc.locate([...sliPath, ...q.path]),
      locateIn: (offset: number, length: number) => ref.doc.locateInScalar([...sliPath, ...q.path], offset, length),
    }));
  }
  const resolved = resolveTemplate(sli, templates);
  if (!resolved) return [];
  // Problems in an instantiated query are the template's or the vars'; point at what the user wrote.
  const at = () => ref.doc.locateKey([...sliPath, sli.vars !== undefined ? 'vars' : 'template']);
  return queriesOf(resolved.sli).map((q) => ({ ...q, template: resolved.template.name, locate: at, locateIn: at }));
}

/** How a query is named in messages: `events.prometheus.total`, or with its template. */
export function queryName(q: QueryRef): string {
  return q.template === undefined ? q.field : `${q.field} (from template "${q.template}")`;
}

/**
 * The template and its instantiated SLI, or undefined when the SLI uses no template, the template does
 * not exist, its vars are wrong or it cannot be rendered (template-exists and template-vars report
 * those). Never throws: a template handlebars fails on is a diagnostic, not a crash of every rule.
 */
export function resolveTemplate(sli: SpecSli, templates: TemplateCatalogue): { template: SliTemplate; sli: SpecSli } | undefined {
  if (sli.template === undefined) return undefined;
  const template = templates.get(sli.template);
  if (!template || checkVars(template, sli.vars ?? {}).length > 0) return undefined;
  const rendered = tryInstantiate(template, sli.vars ?? {});
  return 'error' in rendered ? undefined : { template, sli: rendered.sli };
}

/** The effective SLI: the written one, or the template instantiated (undefined if it cannot be). */
export function effectiveSli(sli: SpecSli, templates: TemplateCatalogue): SpecSli | undefined {
  return sli.template === undefined ? sli : resolveTemplate(sli, templates)?.sli;
}

interface RawQuery {
  readonly backend: Backend;
  readonly role: QueryRole;
  readonly field: string;
  readonly text: string;
  readonly path: readonly PathSegment[];
}

function queriesOf(sli: SpecSli): RawQuery[] {
  const out: RawQuery[] = [];
  const add = (backend: Backend, role: QueryRole, path: readonly string[], text: string | undefined) => {
    if (typeof text === 'string') out.push({ backend, role, field: path.join('.'), text, path });
  };
  const e = sli.events;
  if (e) {
    for (const side of ['total', 'errors', 'good'] as const) {
      add('prometheus', 'ratio', ['events', 'prometheus', side], e.prometheus?.[side]);
      add('datadog', 'ratio', ['events', 'datadog', side], e.datadog?.[side]);
      add('elasticsearch', 'kql', ['events', 'elasticsearch', side], e.elasticsearch?.[side]);
    }
  }
  const l = sli.latency;
  if (l) {
    add('prometheus', 'histogram', ['latency', 'prometheus', 'histogram'], l.prometheus?.histogram);
    add('datadog', 'distribution', ['latency', 'datadog', 'metric'], l.datadog?.metric);
    add('elasticsearch', 'kql', ['latency', 'elasticsearch', 'filter'], l.elasticsearch?.filter);
  }
  return out;
}
