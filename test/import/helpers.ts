/**
 * Test helpers: foreign specs from text (or from the OpenSLO reference files) through the importer and the
 * whole front half of the pipeline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { importDocuments } from '../../src/import/index.js';
import type { ImportedDocument } from '../../src/import/imported-document.js';
import { modelFromLoaded, type LoadedModel } from '../../src/pipeline/load-model.js';
import { parseSpecText, type LoadedDocument } from '../../src/spec/load.js';
import { SourceMap } from '../../src/spec/source-map.js';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const OPENSLO_EXAMPLES = path.resolve(REPO, '..', 'shared', 'reference', 'openslo', 'examples');

/** Parses spec text with the loader (which also reads YAML lists of OpenSLO objects, the Go SDK's layout). */
export function parse(file: string, text: string): { docs: LoadedDocument[]; diagnostics: Diagnostic[] } {
  const parsed = parseSpecText(file, new TextEncoder().encode(text));
  return { docs: parsed.value, diagnostics: [...parsed.diagnostics] };
}

export function parseFiles(files: Readonly<Record<string, string>>): { docs: LoadedDocument[]; diagnostics: Diagnostic[] } {
  const docs: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [file, text] of Object.entries(files)) {
    const parsed = parse(file, text);
    docs.push(...parsed.docs);
    diagnostics.push(...parsed.diagnostics);
  }
  return { docs, diagnostics };
}

export function readExample(relative: string): [string, string] {
  const file = path.join(OPENSLO_EXAMPLES, relative);
  return [file, readFileSync(file, 'utf8')];
}

/** Converted documents and import diagnostics of some files. */
export function importFiles(files: Readonly<Record<string, string>>): { docs: ImportedDocument[]; diagnostics: Diagnostic[] } {
  const parsed = parseFiles(files);
  const imported = importDocuments(parsed.docs);
  return { docs: imported.value as ImportedDocument[], diagnostics: [...parsed.diagnostics, ...imported.diagnostics] };
}

/** The files through the whole front half: load, import, validate, model. */
export function modelOf(files: Readonly<Record<string, string>>): LoadedModel {
  const parsed = parseFiles(files);
  return modelFromLoaded(parsed.docs, parsed.diagnostics);
}

export function errors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

export function codes(diagnostics: readonly Diagnostic[], severity?: 'error' | 'warning'): string[] {
  return diagnostics.filter((d) => severity === undefined || d.severity === severity).map((d) => d.code);
}

/** `file:line:col` of a diagnostic, the way the CLI prints it. */
export function where(d: Diagnostic): string {
  return `${d.source?.file}:${d.source?.start.line}:${d.source?.start.col}`;
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${needle}" not found`);
}

/** The model without source positions, for comparing models built from different files. */
export function withoutSources(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'source' || key === 'fieldSources' || key === 'labelSources' ? undefined : v)));
}

/** Text of every file under a directory, by path. */
export function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, filesUnder(f));
    else if (f.endsWith('.yaml')) out[f] = readFileSync(f, 'utf8');
  }
  return out;
}

export const GOLDEN_IMPORT_CASES = ['openslo-examples-compile-like-native-specs', 'sloth-specs-alert-like-sloth'].map((c) => path.join(REPO, 'test', 'golden', c, 'in'));

/**
 * Inputs that convert without errors: the golden import cases, the convertible OpenSLO reference
 * examples, and reference SLIs and alert policies used by an SLO.
 */
export function corpusInputs(): Array<Record<string, string>> {
  const inputs: Array<Record<string, string>> = GOLDEN_IMPORT_CASES.map(filesUnder);
  for (const f of ['schema-test/v1/slo/slo-no-indicatorref-rolling-no-alerts.yaml', 'schema-test/v1/slo/slo-no-indicatorref-calendar-no-alerts.yaml']) {
    inputs.push(Object.fromEntries([readExample(f)]));
  }
  const slo = readExample('schema-test/v1/slo/slo-no-indicatorref-rolling-no-alerts.yaml')[1];
  inputs.push({
    'slo.yaml': slo.replace(/  indicator:\n(?:      .*\n|    .*\n)*?(?=  timeWindow)/, '  indicatorRef: great-sli\n').replace('budgetingMethod', 'alertPolicies: [alert-policy]\n  budgetingMethod'),
    ...Object.fromEntries([
      readExample('schema-test/v1/sli/sli-description-ratio-good-metricsourceref.yaml'),
      readExample('schema-test/v1/alert-policy/alert-policy-inline-cond.yaml'),
      readExample('schema-test/v1/alert-notification-target/alert-notification-target.yaml'),
    ]),
  });
  return inputs;
}

/** Every corpus input with its converted documents; throws if an input does not convert. */
export function convertedCorpus(): Array<{ files: Record<string, string>; docs: ImportedDocument[] }> {
  return corpusInputs().map((files) => {
    const r = importFiles(files);
    const errs = errors(r.diagnostics);
    if (errs.length > 0) throw new Error(`corpus input does not convert: ${errs.map((d) => `${where(d)} ${d.summary}`).join('; ')}`);
    return { files, docs: r.docs };
  });
}
