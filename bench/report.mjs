// Report benchmark: `slo report` over N synthetic SLOs (bench/generate.mjs): Prometheus queries made and
// wall time, with and without the recording rules.
// Usage: npm run build && node bench/report.mjs [counts...] [--latency ms] [--prometheus URL]
//   default: 1000 SLOs against a counting fake answering every query after --latency ms (default 10),
//   with 4 queries in flight as the report sends them. With --prometheus, against a real server instead
//   (whatever it holds: an empty one measures the raw-SLI path, SLOs without data).
// Prints a Markdown table for README.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const { loadModel } = await dist('pipeline/load-model.js');
const { prepareSli } = await dist('backends/prometheus/sli-expr.js');
const { measurePrometheus } = await dist('report/measure-prometheus.js');
const { QueryRunner, prometheusClient } = await dist('report/query.js');
const { buildReport, BURN_WINDOWS, DEFAULT_PERIOD } = await dist('report/build-report.js');
const { renderReportTemplate, reportJson } = await dist('views/report.js');
const { readFileSync } = await import('node:fs');

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args.splice(i, 2)[1];
};
const latency = Number(flag('--latency') ?? 10);
const prometheusUrl = flag('--prometheus');
const sizes = args.map(Number).filter(Boolean);
const AT = Date.UTC(2024, 2, 1);

/** Answers like a Prometheus holding the recording rules of `ruled` SLOs (or none), after `latency` ms. */
function countingFake(ruled) {
  const fake = {
    queries: 0,
    async instant(expr) {
      fake.queries++;
      await new Promise((r) => setTimeout(r, latency));
      if (expr.includes('by (slo_id)')) return ruled.map((id) => ({ labels: { slo_id: id }, value: value(expr) }));
      return [{ labels: {}, value: value(expr) }];
    },
    async range(expr, start, end, step) {
      fake.queries++;
      await new Promise((r) => setTimeout(r, latency));
      const points = [];
      for (let t = start; t <= end; t += step) points.push([t, value(expr)]);
      if (expr.includes('by (slo_id)')) return ruled.map((id) => ({ labels: { slo_id: id }, points }));
      return [{ labels: {}, points }];
    },
  };
  return fake;
}

function value(expr) {
  if (expr.includes('period_burn_rate')) return 0.5;
  if (expr.includes('slo:sli_errors') || expr.includes('ratio_rate')) return 0.0005;
  return 1;
}

const templates = {
  markdown: readFileSync(path.join(root, 'src/report/templates/markdown.hbs'), 'utf8'),
  html: readFileSync(path.join(root, 'src/report/templates/html.hbs'), 'utf8'),
};

async function measure(model, client) {
  const targets = model.services.flatMap((s) => s.slos.map((slo) => ({ slo, sli: prepareSli(slo) }))).filter((t) => t.sli && !('error' in t.sli));
  const runner = new QueryRunner(client);
  const t0 = performance.now();
  const result = await measurePrometheus(runner, targets, { atMs: AT, period: DEFAULT_PERIOD, burnWindows: BURN_WINDOWS });
  const t1 = performance.now();
  const report = buildReport({ model, measurements: result.measurements, skipped: new Map(), atMs: AT, period: DEFAULT_PERIOD, source: 'prometheus' });
  const md = renderReportTemplate(report, 'markdown', templates.markdown);
  const html = renderReportTemplate(report, 'html', templates.html);
  const json = reportJson(report);
  const t2 = performance.now();
  return {
    slos: targets.length,
    queries: runner.queries,
    queryMs: Math.round(t1 - t0),
    renderMs: Math.round(t2 - t1),
    totalMs: Math.round(t2 - t0),
    sizes: `${kib(md)} / ${kib(html)} / ${kib(json)} KiB`,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
  };
}

const kib = (s) => Math.round(Buffer.byteLength(s) / 1024);

console.log(
  `node ${process.version}; ${prometheusUrl ? `Prometheus at ${prometheusUrl}` : `counting fake, ${latency} ms per query, 4 in flight`}; report period 7d`,
);
console.log('| SLOs | Prometheus data | queries | querying | build + render (md, html, json) | total | md / html / json |');
console.log('|---:|---|---:|---:|---:|---:|---:|');
for (const n of sizes.length ? sizes : [1000]) {
  const dir = path.join(root, '.tmp', `bench-report-${n}`);
  generate(n, dir);
  const { model, diagnostics } = await loadModel([dir]);
  if (!model) {
    console.error(diagnostics.filter((d) => d.severity === 'error').slice(0, 5));
    process.exit(1);
  }
  const ids = model.services.flatMap((s) => s.slos.map((slo) => slo.id));
  const runs = prometheusUrl
    ? [['real server', prometheusClient(prometheusUrl)]]
    : [
        ['recording rules', countingFake(ids)],
        ['raw SLIs only', countingFake([])],
      ];
  for (const [label, client] of runs) {
    const r = await measure(model, client);
    console.log(`| ${r.slos} | ${label} | ${r.queries} | ${r.queryMs} ms | ${r.renderMs} ms | ${r.totalMs} ms | ${r.sizes} |${r.errors ? ` (${r.errors} errors)` : ''}`);
  }
}
