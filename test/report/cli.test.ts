/**
 * `slo report` as the CLI runs it: flags, where the Prometheus URL comes from, output to stdout or a
 * file, templates, the gate's exit codes, and errors that stop the report before anything is written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { reportCommand, type ReportArgs } from '../../src/cli/commands/report.js';
import { registerReport } from '../../src/cli/register-report.js';
import { QueryFailure, datadogHistoryClient } from '../../src/report/query.js';
import { View } from '../../src/views/view.js';
import { FakePrometheus } from './fake-prometheus.js';
import { SPECS } from './fixtures/sample-report.js';

const RULED = ['shop/availability', 'ledger/writes', 'search/availability', 'fresh/availability', 'ghost/availability'];

/** Every SLO at half its budget and a 0.05% error ratio: healthy everywhere. */
const HEALTHY = (expr: string) => (expr.includes('period_burn_rate') ? 0.5 : expr.includes('slo:sli_errors') || expr.includes('ratio_rate') ? 0.0005 : expr.includes('slo:sli_total') ? 1 : 0.0005);

function capture(env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
  return { view: new View({ out: stream((s) => (out += s)), err: stream((s) => (err += s)), env }), out: () => out, err: () => err };
}

async function run(args: Partial<ReportArgs>, options: { env?: Record<string, string>; fake?: FakePrometheus } = {}) {
  const cap = capture(options.env);
  const fake = options.fake ?? new FakePrometheus({ ruled: RULED, value: HEALTHY });
  const urls: string[] = [];
  const code = await reportCommand(
    { paths: [SPECS], source: 'prometheus', format: 'json', templates: [], at: '2024-03-01T00:00:00Z', prometheusUrl: 'http://prom:9090', ...args },
    cap.view,
    { now: () => Date.UTC(2030, 0, 1), prometheus: (url) => (urls.push(url), fake), datadog: datadogHistoryClient },
  );
  return { code, stdout: cap.out(), stderr: cap.err(), urls, fake };
}

describe('slo report', () => {
  it('prints the report on stdout and its summary line on stderr', async () => {
    const r = await run({});
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { at: string; slos: unknown[] };
    expect(report.at).toBe('2024-03-01T00:00:00Z');
    expect(report.slos).toHaveLength(5);
    expect(r.stderr.trim()).toBe('Report 7d to 2024-03-01T00:00:00Z: 5 SLOs, 0 exhausted, 0 burning, 5 healthy, 0 without data.');
  });

  it('defaults --at to now, given by the CLI, and takes unix seconds', async () => {
    expect(JSON.parse((await run({ at: undefined as unknown as string })).stdout).at).toBe('2030-01-01T00:00:00Z');
    expect(JSON.parse((await run({ at: '1709251200' })).stdout).at).toBe('2024-03-01T00:00:00Z');
  });

  it('writes --out and says so', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-report-cli-'));
    const out = path.join(dir, 'nested', 'report.md');
    const r = await run({ format: 'markdown', out });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^# SLO report: 7d to 2024-03-01 00:00 UTC/);
    expect(r.stderr).toContain(`Wrote ${out}.`);
  });

  it('renders a team template given with --template', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-report-cli-'));
    const file = path.join(dir, 'mine.hbs');
    writeFileSync(file, '{{#each atRisk}}{{id}}{{/each}}|{{report.summary.slos}} SLOs\n');
    const r = await run({ format: 'markdown', template: file });
    expect(r.stdout).toBe('|5 SLOs\n');
  });

  it('takes the Prometheus URL from the flag, then PROMETHEUS_URL, then slo.config.yaml', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-report-cli-'));
    const config = path.join(dir, 'slo.config.yaml');
    writeFileSync(config, 'prometheus:\n  url: http://from-config:9090\n');
    expect((await run({ prometheusUrl: 'http://flag:9090', config }, { env: { PROMETHEUS_URL: 'http://env:9090' } })).urls).toEqual(['http://flag:9090']);
    expect((await run({ prometheusUrl: undefined as unknown as string, config }, { env: { PROMETHEUS_URL: 'http://env:9090' } })).urls).toEqual(['http://env:9090']);
    expect((await run({ prometheusUrl: undefined as unknown as string, config })).urls).toEqual(['http://from-config:9090']);
    const none = await run({ prometheusUrl: undefined as unknown as string });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('[prometheus-url-missing]');
  });

  it.each([
    [{ period: '1 week' }, 'bad-period'],
    [{ at: 'yesterday' }, 'bad-time'],
    [{ failOn: 'red' }, 'bad-fail-on'],
    [{ template: 'x.hbs' }, 'bad-template'],
    [{ format: 'markdown', template: '/nonexistent/x.hbs' }, 'report-template-not-found'],
    [{ source: 'datadog' }, 'datadog-credentials-missing'],
  ] as const)('rejects %o with [%s] before querying anything', async (args, code) => {
    const r = await run(args as Partial<ReportArgs>);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stdout).toBe('');
    expect(r.fake.queries).toBe(0);
  });

  it('fails with an error and no report when Prometheus cannot be reached', async () => {
    const fake = new FakePrometheus({ ruled: [], fail: { match: /./, failure: new QueryFailure('connect ECONNREFUSED 127.0.0.1:9', 'network') } });
    const r = await run({}, { fake });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: Prometheus did not answer the report\'s queries: connect ECONNREFUSED 127.0.0.1:9 [prometheus-query-failed]');
  });

  it('gates: exit 0 and a pass line when no SLO is at the level, exit 2 when one is', async () => {
    const pass = await run({ failOn: 'burning' });
    expect(pass.code).toBe(0);
    expect(pass.stderr).toContain('Gate passed: no SLO is exhausted or burning.');
    // Burn rate 5 everywhere: every budget is overspent.
    const fail = await run({ failOn: 'exhausted' }, { fake: new FakePrometheus({ ruled: RULED, value: 5 }) });
    expect(fail.code).toBe(2);
    expect(fail.stderr).toContain('Gate failed: 5 SLOs are exhausted.');
    const noData = await run({ failOn: 'no-data' }, { fake: new FakePrometheus({ ruled: [], value: Number.NaN }) });
    expect(noData.code).toBe(2);
  });
});

describe('registerReport', () => {
  function program() {
    const cap = capture();
    let code = -1;
    const cmd = new Command('slo').exitOverride().configureOutput({ writeOut: (s) => cap.view.out(s), writeErr: (s) => cap.view.err(s) });
    registerReport(cmd, cap.view, (fn) => async () => {
      code = await fn();
    });
    return { cmd, cap, code: () => code };
  }

  it('adds `report` with examples in its help', async () => {
    const p = program();
    await expect(p.cmd.parseAsync(['report', '--help'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
    expect(p.cap.out()).toContain('--fail-on <levels>');
    expect(p.cap.out()).toContain('$ slo report --format html --out slo-report.html');
  });

  it('parses flags into the command (a refused connection is reported, exit 1)', async () => {
    const p = program();
    await p.cmd.parseAsync(['report', SPECS, '--format', 'json', '--at', '2024-03-01T00:00:00Z', '--prometheus-url', 'http://127.0.0.1:9'], { from: 'user' });
    expect(p.code()).toBe(1);
    expect(p.cap.err()).toContain('[prometheus-query-failed]');
  });

  it('rejects an unknown format', async () => {
    const p = program();
    await expect(p.cmd.parseAsync(['report', '--format', 'pdf'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(existsSync('pdf')).toBe(false);
  });
});
