/**
 * End to end with the Prometheus target: its rules for the checkout example are evaluated by promtool
 * over synthetic traffic, and every query of checkout's dashboard and of the overview must return the
 * values that traffic implies (burn rates, budgets, alert states, joins with slo:info).
 *
 * Traffic: availability fails 1 request in 64, latency is slow for 1 in 256 (ratios exact in binary).
 * Values are compared after rounding to 1/1024 on both sides, which absorbs the last-bit noise of
 * rate() extrapolation while still telling every expected value apart.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { grafana } from '../../src/backends/grafana/index.js';
import { prometheus } from '../../src/backends/prometheus/index.js';
import type { Slo } from '../../src/model/types.js';
import { allPanels, loadFixture, parseDashboards, parsePromQL, ROOT, type Dashboard } from './helpers.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
const ROUND_TO = 1 / 1024;
const round = (v: number): number => Math.floor(v * (1 / ROUND_TO) + 0.5) / (1 / ROUND_TO);

/** What the synthetic traffic makes of each SLO. */
const TRUTH: Record<string, { ratio: number; total: number; bad: number; firing: readonly string[] }> = {
  'checkout/availability': { ratio: 1 / 64, total: 64, bad: 1, firing: ['page', 'ticket'] },
  'checkout/latency': { ratio: 1 / 256, total: 64, bad: 0.25, firing: [] },
};

// Per minute: 3780 good + 60 failed requests (64/s, 1/64 failing); 3825 of 3840 within 300ms (1/256 slow).
const INPUT = {
  'http_requests_total{job="checkout",code="200"}': '0+3780x80',
  'http_requests_total{job="checkout",code="500"}': '0+60x80',
  'http_request_duration_seconds_bucket{job="checkout",le="0.3"}': '0+3825x80',
  'http_request_duration_seconds_bucket{job="checkout",le="+Inf"}': '0+3840x80',
};

interface Sample {
  labels: string;
  value: number;
}

const labelText = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

const dir = mkdtempSync(path.join(tmpdir(), 'slo-grafana-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasPromtool)('dashboards over the Prometheus target’s rules (promtool)', async () => {
  const model = await loadFixture(path.join(ROOT, 'slos', 'checkout.yaml'));
  const slos = new Map<string, Slo>(model.services.flatMap((s) => s.slos).map((s) => [s.id, s]));
  const dashboards = parseDashboards(grafana.compile(model, {}));
  const rules = prometheus.compile(model, { 'prometheus-format': 'rules' });

  const truth = (slo: Slo) => TRUTH[slo.id]!;
  const burn = (slo: Slo): number => truth(slo).ratio / slo.objective.errorBudget;
  const remaining = (slo: Slo): number => 1 - burn(slo);
  const seriesLabels = (slo: Slo, extra: Record<string, string> = {}) => ({ ...slo.labels, slo_id: slo.id, slo_service: slo.service, slo_name: slo.name, ...extra });
  const atRisk = (slo: Slo): boolean => remaining(slo) < 0.25 || truth(slo).firing.length > 0;
  const all = [...slos.values()];

  /** The samples a service-dashboard target must return. */
  function serviceExpectation(title: string, legend: string, expr: string): Sample[] {
    const selector = parsePromQL(expr).selectors[0]!;
    const slo = slos.get(selector.labels['slo_id']!)!;
    const window = /rate(\w+)$/.exec(selector.metric)?.[1];
    const windowed = seriesLabels(slo, window ? { slo_window: window } : {});
    if (title.startsWith('SLI over')) return [{ labels: labelText(windowed), value: 1 - truth(slo).ratio }];
    if (title.startsWith('Error budget')) return [{ labels: labelText(seriesLabels(slo)), value: remaining(slo) }];
    if (title.startsWith('Burn rate')) return [{ labels: labelText(windowed), value: burn(slo) }];
    if (title.startsWith('Events')) return [{ labels: labelText(windowed), value: legend === 'bad' ? truth(slo).bad : truth(slo).total }];
    if (title === 'Alerts') return [{ labels: '{}', value: truth(slo).firing.includes(legend) ? 2 : 0 }];
    throw new Error(`no expectation for panel "${title}"`);
  }

  /** The samples an overview target must return with every team selected. */
  function overviewExpectation(title: string, expr: string): Sample[] {
    const count = (n: number): Sample[] => [{ labels: '{}', value: n }];
    const team = { team: model.services[0]!.team };
    if (title === 'SLOs') return count(all.length);
    if (title === 'Budget exhausted') return count(all.filter((s) => remaining(s) <= 0).length);
    if (title === 'At risk') return count(all.filter(atRisk).length);
    if (title === 'SLOs alerting') return count(all.filter((s) => truth(s).firing.length > 0).length);
    if (title.startsWith('Error budget remaining by team')) return [{ labels: labelText(team), value: Math.min(...all.map(remaining)) }];
    if (title.startsWith('Worst burners')) return all.map((s) => ({ labels: labelText(seriesLabels(s, team)), value: burn(s) }));
    if (title === 'All SLOs' || title === 'SLOs at risk') {
      const metric = parsePromQL(expr).selectors[0]!.metric;
      const value = (s: Slo): number =>
        metric === 'slo:objective:ratio' ? s.objective.ratio : metric === 'slo:current_burn_rate:ratio' ? burn(s) : remaining(s);
      return all
        .filter((s) => title === 'All SLOs' || atRisk(s))
        .map((s) => ({ labels: labelText({ ...team, slo_service: s.service, slo_name: s.name }), value: value(s) }));
    }
    throw new Error(`no expectation for panel "${title}"`);
  }

  function tests(dashboard: Dashboard, expectation: (title: string, legend: string, expr: string) => Sample[]) {
    return allPanels(dashboard)
      .filter((p) => p.type !== 'row')
      .flatMap((p) =>
        (p.targets ?? []).map((t) => ({
          expr: `round(${t.expr.replaceAll('$team', '.*')}, ${ROUND_TO})`,
          eval_time: '70m',
          exp_samples: expectation(String(p['title']), String(t['legendFormat']), t.expr).map((s) => ({ labels: s.labels, value: round(s.value) })),
        })),
      );
  }

  it('every checkout and overview query returns what the traffic implies', () => {
    expect(rules.files.map((f) => f.path)).toEqual(['checkout.rules.yaml']);
    writeFileSync(path.join(dir, 'checkout.rules.yaml'), rules.files[0]!.content);
    const cases = [
      ...tests(dashboards.get('checkout.json')!, serviceExpectation),
      ...tests(dashboards.get('slo-overview.json')!, (title, _legend, expr) => overviewExpectation(title, expr)),
    ];
    expect(cases.length).toBeGreaterThan(30);
    const file = path.join(dir, 'test.yaml');
    writeFileSync(
      file,
      stringify({
        rule_files: ['checkout.rules.yaml'],
        evaluation_interval: '1m',
        tests: [{ interval: '1m', input_series: Object.entries(INPUT).map(([series, values]) => ({ series, values })), promql_expr_test: cases }],
      }),
    );
    const run = (): string => {
      try {
        execFileSync('promtool', ['test', 'rules', file], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (e) {
        const { stdout, stderr } = e as { stdout?: string; stderr?: string };
        return `${stdout ?? ''}${stderr ?? ''}` || String(e);
      }
    };
    expect(run()).toBe('');
  });
});
