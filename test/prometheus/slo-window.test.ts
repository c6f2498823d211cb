/**
 * The SLO-window ratio, evaluated by promtool over a day of synthetic traffic: a busy half day at 1%
 * errors, then a quiet half day at 50%. Share of bad events (traffic-weighted) ≈ 1.5%; the mean of the
 * 5m ratios (Sloth's period ratio) ≈ 25%. The recorded 30d ratio must be the former, and equal to
 * sum(errors)/sum(total) over the 5m recordings (to within the last sample), while reading only the
 * two recorded 30d rates.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { testRules } from '../../src/backends/prometheus/promtool.js';
import { AVAILABILITY, modelFromYaml, rulesOf, serviceSpec } from './helpers.js';

const hasPromtool = (await import('node:child_process')).spawnSync('promtool', ['--version'], { stdio: 'ignore' }).error === undefined;
const ID = '{slo_id="api/availability"}';

describe.skipIf(!hasPromtool)('the SLO-window ratio (promtool)', async () => {
  const model = await modelFromYaml(serviceSpec(AVAILABILITY));
  const compiled = prometheus.compile(model, { 'prometheus-format': 'rules' });
  const ruleFile = compiled.files.find((f) => f.path.endsWith('.rules.yaml'))!;

  it('reads the two recorded 30d rates, not another month of 5m samples', () => {
    const ratio = rulesOf(compiled).find((r) => r.record === 'slo:sli_error:ratio_rate30d')!;
    expect(ratio.expr).toBe(`slo:sli_errors:rate30d${ID} / slo:sli_total:rate30d${ID}`);
    // Both rates come before the ratio in the same group, so it reads this evaluation's values.
    const rules = rulesOf(compiled);
    const at = (name: string) => rules.findIndex((r) => r.record === name);
    expect(rules[at('slo:sli_total:rate30d')]!.group).toBe(ratio.group);
    expect(rules[at('slo:sli_errors:rate30d')]!.group).toBe(ratio.group);
    expect(at('slo:sli_total:rate30d')).toBeLessThan(at('slo:sli_error:ratio_rate30d'));
    expect(at('slo:sli_errors:rate30d')).toBeLessThan(at('slo:sli_error:ratio_rate30d'));
    for (const r of rules) expect(r.expr).not.toMatch(/rate\([^)]*\[30d\]/);
  });

  it('is weighted by traffic, equals sum(errors)/sum(total) of the 5m recordings, and is far from the mean of the 5m ratios', async () => {
    const half = 720; // minutes
    const tests = {
      rule_files: [ruleFile.path.split('/').pop()],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            // 600 requests a minute with 6 errors, then 6 a minute with 3 errors.
            { series: 'http_requests_total{job="api",code="200"}', values: `0+594x${half} ${594 * half}+3x${half}` },
            { series: 'http_requests_total{job="api",code="500"}', values: `0+6x${half} ${6 * half}+3x${half}` },
          ],
          promql_expr_test: [
            // Relative to sum/sum computed here: groups evaluate independently (in promtool as in
            // Prometheus), so the 30d group may not yet see this minute's 5m sample, one in 1,440.
            { expr: `abs(slo:sli_error:ratio_rate30d${ID} - on () (sum_over_time(slo:sli_errors:rate5m${ID}[30d]) / sum_over_time(slo:sli_total:rate5m${ID}[30d]))) / on () slo:sli_error:ratio_rate30d${ID} < bool 0.001`, eval_time: '24h', exp_samples: [{ labels: '{}', value: 1 }] },
            { expr: `sum((slo:sli_error:ratio_rate30d${ID} > bool 0.014) * (slo:sli_error:ratio_rate30d${ID} < bool 0.016))`, eval_time: '24h', exp_samples: [{ labels: '{}', value: 1 }] },
            { expr: `sum(avg_over_time(slo:sli_error:ratio_rate5m${ID}[30d]) > bool 0.2)`, eval_time: '24h', exp_samples: [{ labels: '{}', value: 1 }] },
          ],
        },
      ],
    };
    const result = await testRules([
      { path: ruleFile.path.split('/').pop()!, content: ruleFile.content },
      { path: 'slo-window.test.yaml', content: stringify(tests, { lineWidth: 0 }) },
    ]);
    expect(result.runs[0]?.output, result.runs[0]?.output).toMatch(/SUCCESS/);
    expect(result.ok).toBe(true);
  });
});
