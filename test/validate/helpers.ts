/**
 * Table-test helpers for validation rules: a spec is an inline YAML string, run through the real
 * front half of the pipeline (parse, schema, rules, model) without touching the file system.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { modelFromLoaded } from '../../src/pipeline/load-model.js';
import { parseSpecText } from '../../src/spec/load.js';

/** The file name diagnostics carry for inline specs. */
export const SPEC_FILE = 'spec.yaml';

export function validateYaml(yaml: string, options: { templateDirs?: readonly string[] } = {}): readonly Diagnostic[] {
  const loaded = parseSpecText(SPEC_FILE, Buffer.from(yaml, 'utf8'));
  return modelFromLoaded(loaded.value, loaded.diagnostics, options.templateDirs ? { templateDirs: options.templateDirs } : {}).diagnostics;
}

export interface Found {
  readonly code: string;
  readonly line: number;
  readonly col: number;
}

/** What tests assert: code and position, not the wording. */
export function found(diagnostics: readonly Diagnostic[]): Found[] {
  return diagnostics.map((d) => ({ code: d.code, line: d.source?.start.line ?? 0, col: d.source?.start.col ?? 0 }));
}

/** Strips the common indentation of a template literal, so specs can be written indented in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n').replace(/\s+$/, '\n');
}

export interface ValidCase {
  readonly name: string;
  readonly yaml: string;
}

export interface InvalidCase extends ValidCase {
  /** Every diagnostic the spec produces, in output order: a case that drags in other errors fails. */
  readonly expect: readonly Found[];
}

/**
 * One describe block per rule: every valid spec yields no diagnostic at all, every invalid spec
 * yields exactly the listed ones (so a rule that also fires elsewhere, or twice, fails the test).
 */
export function ruleTable(rule: string, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(rule, () => {
    it.each(cases.valid.map((c) => [c.name, c] as const))('accepts %s', (_, c) => {
      expect(found(validateYaml(c.yaml))).toEqual([]);
    });
    it.each(cases.invalid.map((c) => [c.name, c] as const))('rejects %s', (_, c) => {
      expect(found(validateYaml(c.yaml))).toEqual(c.expect);
    });
  });
}

/**
 * A spec around the given `slos:` items (written at column 1: `- name: x`), with page and ticket
 * routes. `slos:` is line 9, so the first item is line 10 (shifted by the lines of `extra`, which goes
 * between notifications and slos).
 */
export function service(slos: string, extra = ''): string {
  return (
    yaml`
    apiVersion: slo/v1
    kind: Service
    metadata:
      name: checkout
      team: payments
    notifications:
      page: [ "pagerduty:payments-oncall" ]
      ticket: [ "slack:#payments-alerts" ]
    ` +
    extra +
    'slos:\n' +
    slos
  );
}

/**
 * One SLO item with a valid Prometheus ratio SLI. Inside service(): `- name` is line 10, objective 11,
 * sli 12, errors 15, total 16; whatever is appended starts on line 17.
 */
export const AVAILABILITY = yaml`
  - name: availability
    objective: 99.9
    sli:
      events:
        prometheus:
          errors: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))
          total: sum(rate(http_requests_total{job="checkout"}[{{window}}]))
`;

/**
 * A spec with one SLO whose `sli:` block is given, written at column 1 (`sli:` then `  events:`); it
 * lands on line 12, indented under the SLO.
 */
export function withSli(sli: string, objective = '99.9'): string {
  const indented = sli.replace(/\n$/, '').split('\n').map((l) => `  ${l}`).join('\n');
  return service(`- name: availability\n  objective: ${objective}\n${indented}\n`);
}

/** A Prometheus ratio SLI whose total query is written as given; it starts at line 16, col 16. */
export const withTotal = (total: string): string =>
  withSli(yaml`
    sli:
      events:
        prometheus:
          errors: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))
          total: ${total}
  `);

/** A Prometheus latency SLI (objective 99) whose histogram is written as given; it starts at line 16, col 20. */
export const withHistogram = (histogram: string): string =>
  withSli(
    yaml`
    sli:
      latency:
        threshold: 300ms
        prometheus:
          histogram: ${histogram}
    `,
    '99',
  );

/** A Datadog ratio SLI whose total query is written as given; it starts at line 16, col 16. */
export const withDatadogTotal = (total: string): string =>
  withSli(yaml`
    sli:
      events:
        datadog:
          errors: sum:trace.http.request.errors{service:checkout}.as_count()
          total: ${total}
  `);

/** A temporary directory of team SLI templates (file name → YAML), for `validateYaml(..., { templateDirs })`. */
export function templatesDir(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-templates-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
