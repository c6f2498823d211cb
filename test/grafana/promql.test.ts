/**
 * Every PromQL expression in the dashboards parses with Prometheus' own grammar and reads only series
 * the Prometheus target records (names from prometheus/names.ts) or `ALERTS`; window series only for
 * windows that SLO records (its SLO window and its alert windows).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { windowsNeeded } from '../../src/alerting/burn-rate.js';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { errorRatioRecord, errorsRateRecord, METADATA_RECORDS, totalRateRecord } from '../../src/backends/prometheus/names.js';
import { WINDOW_WITHOUT_ALERTS } from '../../src/backends/grafana/queries.js';
import type { Model } from '../../src/model/types.js';
import { allExpressions, compileFixture, FIXTURES, parsePromQL, ROOT } from './helpers.js';

const METADATA: ReadonlySet<string> = new Set(Object.values(METADATA_RECORDS));

/** Window series each SLO has, by SLO id. */
function windowRecords(model: Model): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const slo of model.services.flatMap((s) => s.slos)) {
    const alertWindows = windowsNeeded(slo.alerts.flatMap((a) => a.windows));
    const windows = [slo.window, ...(alertWindows.length > 0 ? alertWindows : [WINDOW_WITHOUT_ALERTS])];
    out.set(slo.id, new Set(windows.flatMap((w) => [errorRatioRecord(w), errorsRateRecord(w), totalRateRecord(w)])));
  }
  return out;
}

describe('PromQL in the dashboards', () => {
  for (const [name, paths] of [
    ['examples', [path.join(ROOT, 'slos')]],
    ['edge fixtures', [path.join(FIXTURES, 'edge')]],
  ] as const) {
    it(`${name}: parses and references only recorded series`, async () => {
      const { model, dashboards } = await compileFixture([...paths]);
      const records = windowRecords(model);
      let checked = 0;
      for (const [file, dashboard] of dashboards) {
        for (const expr of allExpressions(dashboard)) {
          const { errors, selectors } = parsePromQL(expr);
          expect(errors, `${file}: ${expr}`).toEqual([]);
          expect(selectors.length, expr).toBeGreaterThan(0);
          for (const s of selectors) {
            checked++;
            if (s.metric === 'ALERTS' || METADATA.has(s.metric)) continue;
            const sloId = s.labels['slo_id'];
            expect(sloId, `${file}: window series without slo_id in ${expr}`).toBeDefined();
            expect([...(records.get(sloId!) ?? [])], `${file}: ${s.metric} is not recorded for ${sloId}`).toContain(s.metric);
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
    });
  }

  it('the checks above catch a bad expression and an unknown series', () => {
    expect(parsePromQL('sum(rate(x[5m])').errors).not.toEqual([]);
    expect(parsePromQL('slo:sli_error:ratio_rate7m{slo_id="a/b"} / 0.001').selectors).toEqual([
      { metric: 'slo:sli_error:ratio_rate7m', labels: { slo_id: 'a/b' } },
    ]);
  });

  // Contract with the Prometheus target: every series a dashboard reads for an SLO is recorded for that SLO,
  // and every severity an alert panel shows is a severity of that SLO's alert rules.
  for (const [name, paths] of [
    ['examples', [path.join(ROOT, 'slos')]],
    ['edge fixtures', [path.join(FIXTURES, 'edge')]],
  ] as const) {
    it(`${name}: reads only what the Prometheus target writes`, async (ctx) => {
      const { model, dashboards } = await compileFixture([...paths]);
      const rules = prometheusRules(model);
      if (rules.records.size === 0) ctx.skip(); // the Prometheus target compiles nothing yet
      expect(rules.alerts.size).toBeGreaterThan(0);
      for (const [file, dashboard] of dashboards) {
        for (const expr of allExpressions(dashboard)) {
          for (const s of parsePromQL(expr).selectors) {
            const sloId = s.labels['slo_id'];
            if (s.metric === 'ALERTS') {
              if (sloId !== undefined && s.labels['severity'] !== undefined) expect(rules.alerts, `${file}: ${expr}`).toContain(`${sloId}|${s.labels['severity']}`);
            } else if (sloId !== undefined) expect(rules.records, `${file}: ${expr}`).toContain(`${s.metric}|${sloId}`);
            else expect([...rules.records].map((r) => r.split('|')[0]), `${file}: ${expr}`).toContain(s.metric);
          }
        }
      }
    });
  }
});

/** `record|slo_id` of every recording rule and `slo_id|severity` of every alert rule the Prometheus target writes. */
function prometheusRules(model: Model): { records: Set<string>; alerts: Set<string> } {
  const records = new Set<string>();
  const alerts = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const rule = node as { record?: string; alert?: string; labels?: Record<string, string> };
      const sloId = rule.labels?.['slo_id'];
      if (typeof rule.record === 'string' && sloId) records.add(`${rule.record}|${sloId}`);
      if (typeof rule.alert === 'string' && sloId) alerts.add(`${sloId}|${rule.labels?.['severity']}`);
      Object.values(node).forEach(walk);
    }
  };
  for (const f of prometheus.compile(model, {}).files) for (const doc of parseAllDocuments(f.content)) walk(doc.toJS());
  return { records, alerts };
}
