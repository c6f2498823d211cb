/** `slo report --fail-on` over SLOs of which none could be measured fails instead of passing. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/commands/report.js';
import { datadogHistoryClient } from '../../src/report/query.js';
import { View } from '../../src/views/view.js';
import { FakePrometheus } from './fake-prometheus.js';
import { SPECS } from './fixtures/sample-report.js';

async function run(failOn: string | undefined) {
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
  const view = new View({ out: stream(() => undefined), err: stream((s) => (err += s)), env: {} });
  const code = await reportCommand(
    // Measured in Datadog only: nothing for Prometheus to measure.
    { paths: [path.join(SPECS, 'partner.yaml')], source: 'prometheus', format: 'json', templates: [], at: '2024-03-01T00:00:00Z', prometheusUrl: 'http://prom:9090', ...(failOn ? { failOn } : {}) },
    view,
    { now: () => Date.UTC(2030, 0, 1), prometheus: () => new FakePrometheus({ ruled: [], value: () => 0 }), datadog: datadogHistoryClient },
  );
  return { code, stderr: err };
}

describe('slo report --fail-on with no SLO measured', () => {
  it('fails, saying why, instead of "Gate passed"', async () => {
    const r = await run('no-data');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --fail-on: no SLO was measured from prometheus (1 skipped: no Prometheus SLI), so the gate cannot pass; report from the --source that measures these SLOs [gate-nothing-measured]');
    expect(r.stderr).not.toContain('Gate passed');
  });

  it('is no error without a gate: the report lists the SLOs as not measured', async () => {
    expect((await run(undefined)).code).toBe(0);
  });
});
