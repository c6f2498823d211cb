// Plan/apply benchmark against the fake Mimir ruler (test/fakes/ruler) with latency on every request.
// Usage: npm run build && node bench/plan-apply.mjs [groups] [latencyMs]   (default 500 groups, 20 ms)
// Measures, for N owned rule groups: requests made and wall time of plan, of apply (creates) at several
// concurrencies, of a no-op plan+apply (must make no write), and of an update of 10% of the groups; and
// compares planning with the baseline of one GET per object. Prints a Markdown table.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// SLO_DIST: another build of slo (defaults to this checkout's dist/).
const dist = process.env.SLO_DIST ?? path.join(root, 'dist');
const groups = Number(process.argv[2] ?? 500);
const latencyMs = Number(process.argv[3] ?? 20);

const { startFakeRuler } = await tsImport(path.join(root, 'test/fakes/ruler/server.ts'), import.meta.url);
const { makePlan } = await import(path.join(dist, 'plan/make-plan.js'));
const { applyChanges } = await import(path.join(dist, 'plan/apply.js'));
const { RulerProvider } = await import(path.join(dist, 'providers/prometheus/ruler.js'));
const { HttpClient } = await import(path.join(dist, 'providers/http.js'));

function group(i, version = 1) {
  const service = `svc${Math.floor(i / 4)}`;
  const name = `slo-${service}-slo${i % 4}`;
  return {
    address: `prometheus/rule-group/${name}`,
    backend: 'prometheus',
    kind: 'rule-group',
    id: name,
    service,
    body: {
      name,
      interval: '1m',
      rules: [
        { record: 'slo:sli_error:ratio_rate5m', expr: `sum(rate(http_requests_total{job="${service}",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="${service}"}[5m]))`, labels: { slo_id: `${service}/slo${i % 4}`, slo_service: service } },
        { alert: 'SloBudgetBurn', expr: `slo:sli_error:ratio_rate5m{slo_id="${service}/slo${i % 4}"} > ${0.0144 * version}`, for: '2m', labels: { severity: 'page', slo_service: service } },
      ],
    },
  };
}

const fake = await startFakeRuler();
fake.faults.latencyMs = latencyMs;
const provider = () => new RulerProvider({ url: fake.url, tenant: 'bench' }, { timeoutMs: 30_000 });
const rows = [];

async function measure(label, fn) {
  fake.resetStats();
  const t = performance.now();
  const detail = await fn();
  const ms = performance.now() - t;
  const s = fake.stats;
  const writes = (s.byMethod.POST ?? 0) + (s.byMethod.DELETE ?? 0);
  rows.push({ label, requests: s.requests, gets: s.byMethod.GET ?? 0, writes, ms: Math.round(ms), detail: detail ?? '' });
}

async function planOnly(desired) {
  const p = provider();
  const made = await makePlan(desired, new Map([['prometheus', p]]), { prune: true, allowMassDelete: true });
  if (!made.plan) throw new Error(JSON.stringify(made.diagnostics));
  return { plan: made.plan, p };
}

async function planAndApply(desired, concurrency) {
  const { plan, p } = await planOnly(desired);
  const r = await applyChanges(plan.changes, new Map([['prometheus', p]]), { concurrency });
  if (r.counts.failed > 0) throw new Error(JSON.stringify(r.failures.slice(0, 3)));
  const s = plan.summary;
  return `${s.create} create, ${s.update} update, ${s.delete} delete, ${s.noop} unchanged`;
}

const v1 = Array.from({ length: groups }, (_, i) => group(i));
const v2 = v1.map((g, i) => (i % 10 === 0 ? group(i, 2) : g));

for (const concurrency of [1, 8, 32]) {
  fake.state.clear();
  await measure(`plan + apply, ${groups} creates, concurrency ${concurrency}`, () => planAndApply(v1, concurrency));
}
await measure('plan (one GET of the namespace)', async () => `${(await planOnly(v1)).plan.summary.noop} unchanged`);
await measure('baseline: one GET per object, sequential', async () => {
  const c = new HttpClient({ baseUrl: fake.url, headers: { 'X-Scope-OrgID': 'bench' } });
  for (const g of v1) await c.request({ method: 'GET', path: `/prometheus/config/v1/rules/slo/${g.id}` });
});
await measure('baseline: one GET per object, 8 at a time', async () => {
  const c = new HttpClient({ baseUrl: fake.url, headers: { 'X-Scope-OrgID': 'bench' } });
  const queue = [...v1];
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let g = queue.shift(); g; g = queue.shift()) await c.request({ method: 'GET', path: `/prometheus/config/v1/rules/slo/${g.id}` });
  }));
});
await measure('no-op plan + apply', () => planAndApply(v1, 8));
await measure('plan + apply, 10% updated, concurrency 8', () => planAndApply(v2, 8));
await fake.close();

const noop = rows.find((r) => r.label === 'no-op plan + apply');
console.log(`\nplan/apply against the fake Mimir ruler: ${groups} rule groups, ${latencyMs} ms latency per request, Node ${process.version}\n`);
console.log('| Scenario | Requests | GET | Writes | Wall time | Result |');
console.log('|---|---:|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.label} | ${r.requests} | ${r.gets} | ${r.writes} | ${(r.ms / 1000).toFixed(2)} s | ${r.detail} |`);
console.log(`\nNo-op apply write requests: ${noop.writes} (${noop.writes === 0 ? 'ok' : 'FAIL: a no-op apply must not write'})`);
if (noop.writes !== 0) process.exitCode = 1;
