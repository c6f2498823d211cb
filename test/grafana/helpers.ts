/**
 * Shared by the Grafana tests: compiling spec folders, walking dashboards, and the two-pass validation
 * against Grafana's published schemas (../shared/reference/grafana, see SOURCE.md there).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parser } from '@prometheus-io/lezer-promql';
import type { BackendOptions, CompileResult } from '../../src/backends/backend.js';
import { grafana } from '../../src/backends/grafana/index.js';
import type { Model } from '../../src/model/types.js';
import { loadModel } from '../../src/pipeline/load-model.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const REFERENCE = path.resolve(ROOT, '..', 'shared', 'reference', 'grafana');
export const FIXTURES = path.join(ROOT, 'test', 'grafana', 'fixtures');

export type Dashboard = Record<string, unknown> & { uid: string; panels: Panel[] };
export type Panel = Record<string, unknown> & { type: string; id: number; gridPos: GridPos; panels?: Panel[]; targets?: Target[] };
export type Target = Record<string, unknown> & { refId: string; expr: string };
export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export async function loadFixture(...paths: string[]): Promise<Model> {
  const loaded = await loadModel(paths);
  if (!loaded.model) throw new Error(`fixture did not load: ${JSON.stringify(loaded.diagnostics, null, 1)}`);
  return loaded.model;
}

export async function compileFixture(paths: string[], options: BackendOptions = {}): Promise<{ model: Model; result: CompileResult; dashboards: Map<string, Dashboard> }> {
  const model = await loadFixture(...paths);
  const result = grafana.compile(model, options);
  return { model, result, dashboards: parseDashboards(result) };
}

/** Output files by path, parsed. */
export function parseDashboards(result: CompileResult): Map<string, Dashboard> {
  return new Map(result.files.map((f) => [f.path, JSON.parse(f.content) as Dashboard]));
}

/** Every panel, row children included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every PromQL expression of a dashboard: panel targets and annotation queries. */
export function allExpressions(dashboard: Dashboard): string[] {
  const annotations = ((dashboard['annotations'] as { list?: Array<Record<string, unknown>> }).list ?? [])
    .map((a) => a['expr'])
    .filter((e): e is string => typeof e === 'string');
  return [...allPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...annotations];
}

export function panelByTitle(dashboard: Dashboard, start: string, nth = 0): Panel {
  const found = allPanels(dashboard).filter((p) => typeof p['title'] === 'string' && (p['title'] as string).startsWith(start));
  const panel = found[nth];
  if (!panel) throw new Error(`no panel titled "${start}…" (#${nth}) in ${dashboard.uid}`);
  return panel;
}

// ---- Schemas ----

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;

function readJson(file: string): object {
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

/** Panel plugin ids whose schema file is named differently. */
const PANEL_SCHEMA_FILE: Record<string, string> = { 'state-timeline': 'statetimeline' };

export interface DashboardValidator {
  /** Problems as `where: message`; empty when valid in both passes. */
  (dashboard: unknown): string[];
}

export function dashboardValidator(): DashboardValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const dashboardSchema = ajv.compile(readJson(path.join(REFERENCE, 'dashboard.v1.patched.jsonschema.json')));
  const pieces = new Map<string, ValidateFunction>();
  /** The validator of `#/definitions/<name>` of a reference file; undefined if the file or definition does not exist. */
  const piece = (file: string, name: string): ValidateFunction | undefined => {
    const key = `${file}#/definitions/${name}`;
    if (!pieces.has(key)) {
      if (!existsSync(file)) return undefined;
      const schema = readJson(file) as { definitions?: Record<string, unknown> };
      if (schema.definitions?.[name] === undefined) return undefined;
      if (!ajv.getSchema(file)) ajv.addSchema(schema, file);
      pieces.set(key, ajv.getSchema(key)!);
    }
    return pieces.get(key);
  };
  const errorsOf = (where: string, fn: ValidateFunction, value: unknown): string[] =>
    fn(value) ? [] : (fn.errors ?? []).map((e) => `${where}${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);

  return (dashboard: unknown): string[] => {
    const problems = errorsOf('dashboard', dashboardSchema, dashboard);
    for (const panel of allPanels(dashboard as Dashboard)) {
      if (panel.type === 'row') continue;
      const where = `panel ${panel.id} (${panel.type})`;
      const file = path.join(REFERENCE, 'panels', `${PANEL_SCHEMA_FILE[panel.type] ?? panel.type}.jsonschema.json`);
      const options = piece(file, 'Options');
      if (!options) {
        problems.push(`${where}: no reference schema for panel type ${panel.type}`);
        continue;
      }
      problems.push(...errorsOf(`${where} options`, options, panel['options'] ?? {}));
      const custom = (panel['fieldConfig'] as { defaults?: { custom?: unknown } } | undefined)?.defaults?.custom;
      if (custom !== undefined) {
        const customSchema = piece(file, 'FieldConfig');
        if (customSchema) problems.push(...errorsOf(`${where} fieldConfig.defaults.custom`, customSchema, custom));
        else problems.push(`${where}: panel type ${panel.type} has no custom field config, yet fieldConfig.defaults.custom is set`);
      }
      for (const target of panel.targets ?? []) {
        const type = (target['datasource'] as { type?: string } | undefined)?.type ?? (panel['datasource'] as { type?: string } | undefined)?.type;
        const query = piece(path.join(REFERENCE, 'dataquery', `${type}.jsonschema.json`), 'Dataquery');
        if (!query) problems.push(`${where} target ${target.refId}: no reference schema for datasource type ${type}`);
        else problems.push(...errorsOf(`${where} target ${target.refId}`, query, target));
      }
    }
    return problems;
  };
}

// ---- PromQL ----

export interface Selector {
  readonly metric: string;
  /** Equality matchers of the selector. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Parses PromQL with Prometheus' own lezer grammar: error messages for error nodes, and the vector selectors. */
export function parsePromQL(expr: string): { errors: string[]; selectors: Selector[] } {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from} in: ${expr}`);
      if (node.name !== 'VectorSelector') return;
      const ident = node.node.getChild('Identifier');
      const labels: Record<string, string> = {};
      const matchers = node.node.getChild('LabelMatchers');
      for (const m of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
        const name = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (name && op && value && op.firstChild?.name === 'EqlSingle') {
          labels[expr.slice(name.from, name.to)] = JSON.parse(expr.slice(value.from, value.to)) as string;
        }
      }
      selectors.push({ metric: ident ? expr.slice(ident.from, ident.to) : '', labels });
    },
  });
  return { errors, selectors };
}
