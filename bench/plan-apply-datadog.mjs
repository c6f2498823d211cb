// Plan/apply benchmark against the fake Datadog API (test/fakes/datadog/server.ts, loaded through tsx) with
// latency on every request.
// Usage: npm run build && node bench/plan-apply-datadog.mjs [--objects 2000] [--latency 20] [--concurrency 4]
//          [--baseline-concurrency 4,10] [--runs 3] [--out .tmp/bench-datadog-specs]
//   or:  npm run build && npm run bench:plan-apply-datadog -- --latency 50
// Needs ../shared/reference/datadog/v1-openapi.yaml next to the checkout, as the Datadog tests do: the fake
// validates every body against it.
//
// Generates synthetic specs (bench/generate.mjs) sized so the Datadog target compiles about --objects owned
// objects (SLOs + SLO-alert monitors + one dashboard per service), compiles them with dist/, and runs the
// engine `slo plan` / `slo apply` run (makePlan, applyChanges) with the Datadog provider configured the way
// the CLI configures it (`datadog.url` in the config, DD_API_KEY / DD_APP_KEY from the environment; dummy
// values unless set). Counts requests from the fake's own request log. Scenarios, from an empty
// organisation, repeated --runs times (requests must be identical; wall time is the median):
//   (a) plan against an empty organisation (everything to create);
//   (b) apply of that plan, at the engine's default concurrency (--concurrency);
//   (c) plan after the apply: must be clean (0 to create/update/delete, no orphans), else exit 1;
//   (d) no-op apply (plan + apply of the clean plan): must make no write request, else exit 1;
//   (e) baseline: one GET per owned object (what `terraform refresh` does), at the engine's default
//       concurrency, and at Terraform's default -parallelism of 10 (--baseline-concurrency).
// Prints a Markdown table. The fake runs in this process (as in bench/plan-apply.mjs), so its own CPU time
// (schema validation of every body, JSON answers) is part of the wall times.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { generate } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// SLO_DIST: another build of slo (defaults to this checkout's dist/).
const dist = process.env.SLO_DIST ?? path.join(root, 'dist');

const args = parseArgs(process.argv.slice(2), { objects: '2000', latency: '20', concurrency: '', 'baseline-concurrency': '', runs: '3', out: path.join(root, '.tmp', 'bench-datadog-specs') });
const targetObjects = positiveInt(args.objects, '--objects');
const latencyMs = nonNegativeInt(args.latency, '--latency');
const runs = positiveInt(args.runs, '--runs');

const { startFakeDatadog } = await tsImport(path.join(root, 'test/fakes/datadog/server.ts'), import.meta.url);
const { loadModel } = await import(path.join(dist, 'pipeline/load-model.js'));
const { checkTargets, compileAll } = await import(path.join(dist, 'build/compile-all.js'));
const { datadog } = await import(path.join(dist, 'backends/datadog/index.js'));
const { secretsFromEnv } = await import(path.join(dist, 'config/config.js'));
const { datadogProvider } = await import(path.join(dist, 'providers/datadog/index.js'));
const { hasOwnershipMark, hasOwnershipTag } = await import(path.join(dist, 'providers/datadog/identity.js'));
const { makePlan } = await import(path.join(dist, 'plan/make-plan.js'));
const { applyChanges } = await import(path.join(dist, 'plan/apply.js'));
const { hasChanges } = await import(path.join(dist, 'plan/types.js'));
const { HttpClient } = await import(path.join(dist, 'providers/http.js'));
const { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT } = await import(path.join(dist, 'cli/commands/plan.js'));
const { Duration } = await import(path.join(dist, 'model/duration.js'));

// The engine's defaults unless told otherwise: `slo apply` runs DEFAULT_CONCURRENCY changes at once.
const concurrency = args.concurrency === '' ? DEFAULT_CONCURRENCY : positiveInt(args.concurrency, '--concurrency');
const baselineConcurrencies = (args['baseline-concurrency'] === '' ? [concurrency, 10] : args['baseline-concurrency'].split(',').map((c) => positiveInt(c, '--baseline-concurrency')))
  .filter((c, i, all) => all.indexOf(c) === i);
const timeoutMs = Duration.parse(DEFAULT_TIMEOUT).ms;

// ---- specs: about `targetObjects` Datadog objects ------------------------------------------------------

async function compileDatadog(dir) {
  const loaded = await loadModel([dir]);
  if (!loaded.model) fail(`the generated specs do not load: ${JSON.stringify(loaded.diagnostics.slice(0, 3))}`);
  const diagnostics = [...loaded.diagnostics, ...checkTargets(loaded.model, [datadog], {})];
  const out = compileAll(loaded.model, [datadog], {});
  diagnostics.push(...out.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) fail(`the generated specs do not compile for Datadog (the generator is out of date?): ${JSON.stringify(errors.slice(0, 3))}`);
  return out.resources.filter((r) => r.backend === 'datadog');
}

const SLOS_PER_SERVICE = 10;
// Objects one generated service compiles to (the generator repeats the same 10 SLOs in every service).
const perService = (await compileDatadog((generate(SLOS_PER_SERVICE, args.out), args.out))).length;
const services = Math.max(1, Math.round(targetObjects / perService));
generate(services * SLOS_PER_SERVICE, args.out);
const tCompile = performance.now();
const compiled = await compileDatadog(args.out);
const compileMs = performance.now() - tCompile;

const fakeKeys = { apiKey: process.env.DD_API_KEY || 'bench-dummy-api-key', appKey: process.env.DD_APP_KEY || 'bench-dummy-app-key' };
process.env.DD_API_KEY = fakeKeys.apiKey;
process.env.DD_APP_KEY = fakeKeys.appKey;
const fake = await startFakeDatadog(fakeKeys);

// The provider as `slo plan` configures it: `datadog: {url}` in slo.config.yaml, keys from the environment.
function newProvider() {
  const configured = datadogProvider.configure({ datadog: { url: fake.url } }, secretsFromEnv(process.env), { timeoutMs });
  if (!configured.provider) fail(`the Datadog provider is not configured: ${JSON.stringify(configured.diagnostics)}`);
  return configured.provider;
}
const providersOf = (p) => new Map([['datadog', p]]);
const desired = compiled;
const byKind = countBy(desired, (r) => r.kind);

// ---- measuring ---------------------------------------------------------------------------------------

let failed = false;

/** Runs `fn` with the fake's request log emptied first; the row holds what the fake received. */
async function measure(rows, label, fn) {
  fake.resetStats();
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const detail = await fn();
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const s = fake.stats;
  const byMethod = {};
  for (const [route, n] of Object.entries(s.byRoute)) {
    const method = route.split(' ')[0];
    byMethod[method] = (byMethod[method] ?? 0) + n;
  }
  const writes = ['POST', 'PUT', 'PATCH', 'DELETE'].reduce((n, m) => n + (byMethod[m] ?? 0), 0);
  const row = { label, requests: s.requests, byMethod, writes, byRoute: { ...s.byRoute }, ms, cpuMs: (cpu.user + cpu.system) / 1000, detail: detail ?? '', rejected: [...s.rejected] };
  rows.push(row);
  return row;
}

async function plan(p) {
  // `slo plan --prune`: an owned object no spec declares would be a delete, so a clean plan means clean.
  const made = await makePlan(desired, providersOf(p), { prune: true, allowMassDelete: false });
  if (!made.plan) fail(`plan failed: ${JSON.stringify(made.diagnostics.slice(0, 3))}`);
  return made.plan;
}

const summaryText = (s) => `${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.noop} unchanged, ${s.orphaned} orphaned`;

/** One pass of every scenario, from an empty organisation. */
async function runOnce() {
  fake.reset();
  fake.faults.latencyMs = latencyMs;
  const rows = [];

  // (a) plan from empty
  let firstPlan;
  let applyProvider;
  await measure(rows, '(a) plan, empty organisation', async () => {
    applyProvider = newProvider();
    firstPlan = await plan(applyProvider);
    return summaryText(firstPlan.summary);
  });
  if (firstPlan.summary.create !== desired.length) fail(`the first plan should create all ${desired.length} objects: ${summaryText(firstPlan.summary)}`);

  // (b) apply from empty, with the provider that made the plan (as `slo apply` does)
  await measure(rows, `(b) apply from empty, concurrency ${concurrency}`, async () => {
    const r = await applyChanges(firstPlan.changes, providersOf(applyProvider), { concurrency });
    if (r.counts.failed > 0) fail(`apply failed for ${r.counts.failed} changes: ${JSON.stringify(r.failures.slice(0, 3))}`);
    return `${r.counts.created} created, ${r.counts.failed} failed`;
  });
  const inFake = {
    slo: fake.slos().filter(hasOwnershipTag),
    monitor: fake.monitors().filter(hasOwnershipTag),
    dashboard: fake.dashboards().filter((d) => hasOwnershipMark(d['description'])),
  };
  for (const kind of Object.keys(byKind)) {
    if (inFake[kind].length !== byKind[kind]) fail(`after apply the fake holds ${inFake[kind].length} owned ${kind} objects, ${byKind[kind]} expected`);
  }

  // (c) plan after apply (a new process in real life: a new provider): must be clean
  let secondPlan;
  const second = await measure(rows, '(c) plan after apply', async () => {
    secondPlan = await plan(newProvider());
    return summaryText(secondPlan.summary);
  });
  const clean = !hasChanges(secondPlan) && secondPlan.summary.orphaned === 0 && secondPlan.summary.noop === desired.length;
  if (!clean) {
    failed = true;
    second.detail += ' — NOT CLEAN';
    console.error(`FAIL: the plan after apply is not clean: ${summaryText(secondPlan.summary)}`);
    for (const c of secondPlan.changes.filter((x) => x.action !== 'no-op').slice(0, 5)) console.error(`  ${c.action} ${c.address}: ${JSON.stringify(c.fields.slice(0, 3))}`);
  }

  // (d) no-op apply: plan + apply of a clean plan; no write request at all
  const noop = await measure(rows, `(d) no-op apply (plan + apply), concurrency ${concurrency}`, async () => {
    const p = newProvider();
    const made = await plan(p);
    const r = await applyChanges(made.changes, providersOf(p), { concurrency });
    return `${r.counts.unchanged} unchanged, ${r.counts.created + r.counts.updated + r.counts.deleted} written`;
  });
  if (noop.writes !== 0) {
    failed = true;
    noop.detail += ' — WROTE';
    console.error(`FAIL: the no-op apply made ${noop.writes} write requests: ${JSON.stringify(noop.byRoute)}`);
  }

  // (e) baseline: one GET per owned object, N at a time
  const objectPaths = [
    ...inFake.slo.map((o) => `/api/v1/slo/${encodeURIComponent(o.id)}`),
    ...inFake.dashboard.map((o) => `/api/v1/dashboard/${encodeURIComponent(o.id)}`),
    ...inFake.monitor.map((o) => `/api/v1/monitor/${encodeURIComponent(String(o.id))}`),
  ];
  for (const n of baselineConcurrencies) {
    const why = n === concurrency ? "slo's default concurrency" : n === 10 ? "Terraform's default -parallelism" : 'concurrency';
    await measure(rows, `(e) baseline: one GET per object, ${n} at a time (${why})`, async () => {
      const c = new HttpClient({ baseUrl: fake.url, timeoutMs, headers: { 'DD-API-KEY': fakeKeys.apiKey, 'DD-APPLICATION-KEY': fakeKeys.appKey, Accept: 'application/json' } });
      const queue = [...objectPaths];
      await Promise.all(
        Array.from({ length: n }, async () => {
          for (let p = queue.shift(); p !== undefined; p = queue.shift()) await c.request({ method: 'GET', path: p });
        }),
      );
      return `${objectPaths.length} objects read`;
    });
  }
  return { rows, clean, noopWrites: noop.writes };
}

const runResults = [];
for (let i = 0; i < runs; i++) {
  runResults.push(await runOnce());
  if (runs > 1) process.stderr.write(`run ${i + 1}/${runs} done\n`);
}
await fake.close();

// ---- report ------------------------------------------------------------------------------------------

// Requests are the same in every run (asserted); wall times are the median over the runs.
const rows = runResults[0].rows.map((r, i) => {
  const all = runResults.map((x) => x.rows[i]);
  for (const other of all) {
    if (JSON.stringify(other.byRoute) !== JSON.stringify(r.byRoute)) {
      failed = true;
      console.error(`FAIL: ${r.label}: the requests differ between runs: ${JSON.stringify(r.byRoute)} vs ${JSON.stringify(other.byRoute)}`);
    }
  }
  const times = all.map((x) => x.ms).sort((a, b) => a - b);
  const cpus = all.map((x) => x.cpuMs).sort((a, b) => a - b);
  return { ...r, ms: times[Math.floor(times.length / 2)], cpuMs: cpus[Math.floor(cpus.length / 2)], min: times[0], max: times[times.length - 1], rejected: all.flatMap((x) => x.rejected), detail: [...new Set(all.map((x) => x.detail))].join(' / ') };
});
const clean = runResults.every((x) => x.clean);
const noopWrites = Math.max(...runResults.map((x) => x.noopWrites));
const command = ['node', 'bench/plan-apply-datadog.mjs', ...process.argv.slice(2)].join(' ');
const rejected = rows.flatMap((r) => r.rejected);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const wall = (r) => (runs > 1 ? `${seconds(r.ms)} (${(r.min / 1000).toFixed(2)}–${(r.max / 1000).toFixed(2)})` : seconds(r.ms));
const m = (r, k) => r.byMethod[k] ?? 0;
const planRow = rows.find((r) => r.label.startsWith('(c)'));
const baseRow = rows.find((r) => r.label.startsWith('(e)') && r.label.includes(`, ${concurrency} at a time`));

console.log(`\nplan/apply against the fake Datadog API: ${desired.length} owned objects (${Object.entries(byKind).map(([k, n]) => `${n} ${k}s`).join(', ')}) from ${services} generated services (${services * SLOS_PER_SERVICE} SLO specs), ${latencyMs} ms latency per request`);
console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; load + compile of the specs (no requests): ${seconds(compileMs)}`);
console.log(`Wall time: ${runs > 1 ? `median of ${runs} runs (min–max)` : 'one run'}; CPU: this process (slo and the fake, one event loop), median. Command: ${command}\n`);
console.log('| Scenario | Requests | GET | POST | PUT | DELETE | Wall time | CPU (slo + fake) | Result |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.label} | ${r.requests} | ${m(r, 'GET')} | ${m(r, 'POST')} | ${m(r, 'PUT')} | ${m(r, 'DELETE')} | ${wall(r)} | ${seconds(r.cpuMs)} | ${r.detail} |`);
console.log('\nRequests by route:');
for (const r of rows) console.log(`- ${r.label}: ${Object.entries(r.byRoute).sort().map(([k, n]) => `${k} ×${n}`).join(', ')}`);
if (planRow && baseRow) {
  console.log(`\nPlan vs baseline at concurrency ${concurrency}: ${planRow.requests} vs ${baseRow.requests} requests (${(baseRow.requests / planRow.requests).toFixed(1)}× fewer), ${seconds(planRow.ms)} vs ${seconds(baseRow.ms)} (${(baseRow.ms / planRow.ms).toFixed(1)}× faster)`);
}
console.log(`Plan after apply: ${clean ? 'clean (ok)' : 'NOT CLEAN (FAIL)'}; no-op apply write requests: ${noopWrites} (${noopWrites === 0 ? 'ok' : 'FAIL: a no-op apply must not write'})`);
if (rejected.length > 0) {
  console.log(`The fake refused ${rejected.length} requests: ${rejected.slice(0, 3).join('; ')}`);
  failed = true;
}
if (failed) process.exitCode = 1;

// ---- helpers -----------------------------------------------------------------------------------------

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in defaults)) fail(`unknown argument ${a}; usage: node bench/plan-apply-datadog.mjs [--objects 2000] [--latency 20] [--concurrency 4] [--baseline-concurrency 4,10] [--runs 3] [--out dir]`);
    out[m[1]] = m[2] ?? argv[++i];
    if (out[m[1]] === undefined) fail(`${a} needs a value`);
  }
  return out;
}

function positiveInt(v, name) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`${name} takes a whole number ≥ 1, got "${v}"`);
  return n;
}

function nonNegativeInt(v, name) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`${name} takes a whole number ≥ 0, got "${v}"`);
  return n;
}

function countBy(items, key) {
  const out = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

function fail(message) {
  console.error(`plan-apply-datadog: ${message}`);
  process.exit(1);
}
