// Rule evaluation cost on a real Prometheus: samples touched (and time) per evaluation of the rules
// `slo build` generates, against a naive formulation computing every window straight from raw series
// (the 30-day SLO window as a 30-day rate()).
//
// Usage: npm run build && node bench/rule-eval-cost.mjs [--services 20] [--instances 3] [--scrape 60]
//          [--days 31] [--repeat 5] [--keep]
//
// 1. Writes a spec per synthetic service (an availability SLO on http_requests_total by code and a
//    latency SLO on a classic histogram, both 30d, paging and ticket alerts) and compiles it with
//    `slo build --target prometheus --prometheus-format rules`.
// 2. Generates the raw series (counters by instance and code, histogram buckets by instance) over
//    --days days at one sample per --scrape seconds and backfills them with
//    `promtool tsdb create-blocks-from openmetrics`.
// 3. Records the generated recording rules the way `promtool tsdb create-blocks-from rules` does (range
//    queries at the group's interval against the running server, in dependency levels, restarting it
//    between levels): the 5m rates read by the SLO-window rules over the whole 30 days, every other rule
//    over the last minutes. The recorded series are then loaded together with the raw ones in a single
//    promtool run, so the server holds one non-overlapping TSDB block, as a compacted long-running
//    server would (promtool's rule importer writes 2h blocks, hundreds for 30 days).
// 4. Starts Prometheus on 127.0.0.1 (free port, --enable-feature=promql-per-step-stats) and runs every
//    generated rule expression, and the naive expressions, as instant queries at the end of the data
//    with stats=all: samples.totalQueryableSamples is the number of samples the evaluation touched.
//    A rule evaluation is exactly such an instant query (the rule manager runs the same engine).
// Prints Markdown tables. Temporary files are removed and Prometheus is stopped on exit (--keep keeps
// the temp dir for inspection).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { parse, stringify } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------- options
const args = process.argv.slice(2);
const flag = (name, def) => {
  const i = args.indexOf(name);
  if (i === -1) return def;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const keep = args.includes('--keep');
const SERVICES = Number(flag('--services', 20));
const INSTANCES = Number(flag('--instances', 3));
const SCRAPE = Number(flag('--scrape', 60)); // seconds
const DAYS = Number(flag('--days', 31));
const REPEAT = Number(flag('--repeat', 5));
const GLOBAL_INTERVAL = 60; // seconds: Prometheus' default evaluation_interval, used by groups without one
// The end of the data and the evaluation time. It and the start of the data lie inside one 4374h-aligned
// block of promtool (--max-block-duration=8760h), so the data is one block.
const T = Date.UTC(2024, 0, 1) / 1000;
const START = T - DAYS * 86400;
const CODES = [
  ['200', 0.9775],
  ['404', 0.02],
  ['500', 0.0005], // plus incidents, below
  ['503', 0.0002],
];
const BUCKETS = ['0.05', '0.1', '0.3', '1', '+Inf'];

const command = `node bench/rule-eval-cost.mjs --services ${SERVICES} --instances ${INSTANCES} --scrape ${SCRAPE} --days ${DAYS} --repeat ${REPEAT}`;

// ---------------------------------------------------------------------------------------- cleanup
const work = mkdtempSync(path.join(tmpdir(), 'slo-bench-rule-eval-'));
let prometheus; // { child, url, stop, start }
const cleanup = () => {
  if (prometheus?.child && prometheus.child.exitCode === null) prometheus.child.kill('SIGKILL');
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.error(`kept ${work}`);
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

const log = (...m) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...m);

// ---------------------------------------------------------------------------------------- helpers
function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin'])) {
    const full = path.join(dir, name);
    try {
      if (statSync(full).isFile()) return full;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed (apt-get install prometheus)`);
}
const PROMETHEUS = which('prometheus');
const PROMTOOL = which('promtool');

function run(bin, argv) {
  const r = spawnSync(bin, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} ${argv.slice(0, 3).join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A write stream that respects backpressure. */
function writer(file) {
  const out = createWriteStream(file);
  let buf = '';
  return {
    async write(s) {
      buf += s;
      if (buf.length > 1 << 20) {
        const chunk = buf;
        buf = '';
        if (!out.write(chunk)) await once(out, 'drain');
      }
    },
    async close() {
      out.end(buf);
      await once(out, 'finish');
    },
  };
}

const escapeLabel = (v) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(String(v))}"`)
    .join(',')}}`;

// ---------------------------------------------------------------------------------------- 1. specs
const job = (s) => `svc-${String(s).padStart(3, '0')}`;

function writeSpecs(dir) {
  mkdirSync(dir, { recursive: true });
  for (let s = 0; s < SERVICES; s++) {
    const name = job(s);
    const alerting = { page: { notify: 'page' }, ticket: { notify: 'ticket' } };
    const spec = {
      apiVersion: 'slo/v1',
      kind: 'Service',
      metadata: { name, team: `team-${s % 5}`, tier: 1, labels: { env: 'prod' }, runbook: `https://runbooks.example.com/${name}` },
      notifications: { page: [`pagerduty:team-${s % 5}`], ticket: [`slack:#team-${s % 5}`] },
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          window: '30d',
          sli: {
            events: {
              prometheus: {
                errors: `sum(rate(http_requests_total{job="${name}",code=~"5.."}[{{window}}]))`,
                total: `sum(rate(http_requests_total{job="${name}"}[{{window}}]))`,
              },
            },
          },
          alerting,
        },
        {
          name: 'latency',
          objective: 99,
          window: '30d',
          sli: { latency: { threshold: '300ms', prometheus: { histogram: `http_request_duration_seconds_bucket{job="${name}"}` } } },
          alerting,
        },
      ],
    };
    writeFileSync(path.join(dir, `${name}.yaml`), stringify(spec, { lineWidth: 0 }));
  }
}

/** The naive error ratio of an SLO over `w`, straight from raw series (what one writes without recording rules). */
function naiveRatio(sloId, w) {
  const [service, slo] = sloId.split('/');
  if (slo === 'availability') {
    return `sum(rate(http_requests_total{job="${service}",code=~"5.."}[${w}]))\n/\nsum(rate(http_requests_total{job="${service}"}[${w}]))`;
  }
  return `1 - (\n  sum(rate(http_request_duration_seconds_bucket{job="${service}",le="0.3"}[${w}]))\n  /\n  sum(rate(http_request_duration_seconds_bucket{job="${service}",le="+Inf"}[${w}]))\n)`;
}

// ---------------------------------------------------------------------------------------- 2. raw data
/** Requests per scrape interval of one instance of one service, and its incident (5xx burst, slow). */
function traffic(s, inst) {
  const r = rng(1000 * s + inst + 1);
  const base = (2 + 30 * rng(s + 7)()) / INSTANCES; // req/s per instance
  const phase = 2 * Math.PI * rng(s + 13)();
  const n = Math.floor((T - START) / SCRAPE) + 1;
  const reqs = new Float64Array(n);
  const bad = new Float64Array(n); // 0..1: incident intensity
  const incidentStart = START + Math.floor(rng(s + 29)() * (T - START - 86400));
  const incidentLen = 1800 + Math.floor(rng(s + 31)() * 5400);
  for (let k = 0; k < n; k++) {
    const t = START + k * SCRAPE;
    const daily = 1 + 0.6 * Math.sin((2 * Math.PI * (t % 86400)) / 86400 + phase);
    reqs[k] = base * daily * (0.9 + 0.2 * r()) * SCRAPE;
    bad[k] = t >= incidentStart && t < incidentStart + incidentLen ? 1 : 0;
  }
  return { reqs, bad, n };
}

/** One counter series of `n` samples, each scrape adding `increment(k)`; returns the sample count. */
async function writeCounter(out, head, n, increment) {
  let c = 0;
  let lines = '';
  for (let k = 0; k < n; k++) {
    c += increment(k);
    lines += `${head}${Math.round(c)} ${START + k * SCRAPE}\n`;
    if (lines.length > 1 << 20) {
      await out.write(lines);
      lines = '';
    }
  }
  await out.write(lines);
  return n;
}

async function writeRaw(file) {
  const out = writer(file);
  // Counters: one family, series by series (each in time order).
  await out.write('# TYPE http_requests counter\n');
  let samples = 0;
  for (let s = 0; s < SERVICES; s++) {
    for (let i = 0; i < INSTANCES; i++) {
      const { reqs, bad, n } = traffic(s, i);
      for (const [code, share] of CODES) {
        const head = `http_requests_total{job="${job(s)}",instance="10.0.${s}.${i}:8080",code="${code}"} `;
        samples += await writeCounter(out, head, n, (k) => reqs[k] * (share + (code === '500' ? 0.04 * bad[k] : code === '200' ? -0.04 * bad[k] : 0)));
      }
    }
  }
  await out.write('# TYPE http_request_duration_seconds histogram\n');
  const fastShare = { '0.05': 0.55, '0.1': 0.8, '0.3': 0.995, '1': 0.9995, '+Inf': 1 };
  for (let s = 0; s < SERVICES; s++) {
    for (let i = 0; i < INSTANCES; i++) {
      const { reqs, bad, n } = traffic(s, i);
      for (const le of BUCKETS) {
        const head = `http_request_duration_seconds_bucket{job="${job(s)}",instance="10.0.${s}.${i}:8080",le="${le}"} `;
        samples += await writeCounter(out, head, n, (k) => reqs[k] * (le === '+Inf' ? 1 : fastShare[le] * (1 - 0.1 * bad[k])));
      }
    }
  }
  await out.close();
  return samples;
}

// ---------------------------------------------------------------------------------------- Prometheus
async function startPrometheus(dataDir) {
  const port = await freePort();
  const config = path.join(work, 'prometheus.yml');
  writeFileSync(config, `global:\n  evaluation_interval: ${GLOBAL_INTERVAL}s\n`);
  const url = `http://127.0.0.1:${port}`;
  let stderr = '';
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=100y', // the data is years old to the wall clock: keep it
      `--web.listen-address=127.0.0.1:${port}`,
      '--query.max-samples=1000000000',
      '--query.timeout=10m',
      '--enable-feature=promql-per-step-stats',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const server = {
    child,
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
  prometheus = server;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${stderr}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus did not become ready on ${url}:\n${stderr}`);
}

async function api(url, pathname, params) {
  const r = await fetch(`${url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  const body = await r.json();
  if (body.status !== 'success') throw new Error(`${pathname} ${params.query}: ${body.error}`);
  return body.data;
}

/** Runs `fn` over `items` with `n` in flight. */
async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------------------------------- 3. rules
const seconds = (d) => {
  let total = 0;
  for (const [, n, u] of d.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[u];
  return total;
};

function loadRules(dir) {
  const rules = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const { groups } = parse(readFileSync(path.join(dir, file), 'utf8'));
    for (const g of groups) {
      const interval = g.interval ? seconds(g.interval) : GLOBAL_INTERVAL;
      for (const r of g.rules) rules.push({ ...r, group: g.name, interval });
    }
  }
  return rules;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const readsName = (expr, name) => new RegExp(`(^|[^a-zA-Z0-9_:])${escapeRe(name)}($|[^a-zA-Z0-9_:])`).test(expr);

/** Recording rules in levels: each reads only series recorded by earlier levels (as in test/report/prometheus-harness.ts). */
function dependencyLevels(rules) {
  const names = [...new Set(rules.map((r) => r.record))];
  const reads = new Map(rules.map((r) => [r, names.filter((n) => n !== r.record && readsName(r.expr, n))]));
  const level = new Map(names.map((n) => [n, 0]));
  for (let changed = true, rounds = 0; changed; rounds++) {
    if (rounds > names.length + 1) throw new Error('recording rules read each other in a cycle');
    changed = false;
    for (const r of rules) {
      const l = Math.max(0, ...reads.get(r).map((n) => level.get(n) + 1));
      if (l > level.get(r.record)) {
        level.set(r.record, l);
        changed = true;
      }
    }
  }
  const out = [];
  for (const r of rules) (out[level.get(r.record)] ??= []).push(r);
  return { levels: out.filter(Boolean), reads };
}

/** Record names that some rule reads over a range (`name{...}[30d]`), and what those read in turn: they need the whole history. */
function longHistoryNames(rules, reads) {
  const names = [...new Set(rules.map((r) => r.record))];
  const long = new Set(names.filter((n) => rules.some((r) => new RegExp(`(^|[^a-zA-Z0-9_:])${escapeRe(n)}(\\{[^}]*\\})?\\[`).test(r.expr))));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules) if (long.has(r.record)) for (const n of reads.get(r)) if (!long.has(n)) (long.add(n), (changed = true));
  }
  return long;
}

/** Evaluates one recording rule over [from, T] at its interval with range queries, as promtool's rule importer does; appends OpenMetrics lines. */
async function recordRule(url, rule, from, out) {
  const step = rule.interval;
  const first = Math.ceil(from / step) * step;
  const maxSteps = 10_000; // the API refuses more than 11,000 points per series
  const series = new Map();
  for (let start = first; start <= T; start += maxSteps * step) {
    const end = Math.min(T, start + (maxSteps - 1) * step);
    const data = await api(url, '/api/v1/query_range', { query: rule.expr, start: String(start), end: String(end), step: String(step) });
    for (const { metric, values } of data.result) {
      const { __name__, ...labels } = metric;
      const key = labelText({ ...labels, ...(rule.labels ?? {}) });
      const lines = values.map(([t, v]) => `${rule.record}${key} ${v} ${t}\n`).join('');
      series.set(key, (series.get(key) ?? '') + lines);
    }
  }
  let samples = 0;
  for (const lines of series.values()) {
    await out.write(lines);
    samples += lines.split('\n').length - 1;
  }
  return samples;
}

// ---------------------------------------------------------------------------------------- 4. measure
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(url, expr) {
  const runs = [];
  for (let i = 0; i <= REPEAT; i++) {
    const t0 = performance.now();
    const data = await api(url, '/api/v1/query', { query: expr, time: String(T), stats: 'all' });
    const wall = performance.now() - t0;
    if (i > 0) runs.push({ wall, data }); // the first run warms the page cache and the postings
  }
  const { samples, timings } = runs[0].data.stats;
  return {
    samples: samples.totalQueryableSamples,
    perStep: samples.totalQueryableSamplesPerStep !== undefined,
    peak: samples.peakSamples,
    wallMs: median(runs.map((r) => r.wall)),
    evalMs: median(runs.map((r) => r.data.stats.timings.evalTotalTime * 1000)),
    result: runs[0].data.result,
  };
}

// ---------------------------------------------------------------------------------------- main
async function main() {
  const t0 = performance.now();
  const specs = path.join(work, 'specs');
  const build = path.join(work, 'build');
  const data = path.join(work, 'data');
  writeSpecs(specs);
  run(process.execPath, [path.join(root, 'dist/cli/main.js'), 'build', '--target', 'prometheus', '--prometheus-format', 'rules', '--out', build, specs]);
  const rules = loadRules(path.join(build, 'prometheus'));
  const recordings = rules.filter((r) => r.record);
  log(`${SERVICES} services, ${rules.length} rules (${recordings.length} recording, ${rules.length - recordings.length} alerting)`);

  const rawFile = path.join(work, 'raw.om');
  const rawSamples = await writeRaw(rawFile);
  log(`raw series: ${SERVICES * INSTANCES * (CODES.length + BUCKETS.length)} series, ${rawSamples} samples, ${(statSync(rawFile).size / 2 ** 20).toFixed(0)} MiB of OpenMetrics`);
  // writeRaw leaves the file without `# EOF`, to be concatenated with the recorded series later; promtool needs one.
  const rawWithEof = path.join(work, 'raw.eof.om');
  {
    const out = createWriteStream(rawWithEof);
    for await (const chunk of createReadStream(rawFile)) if (!out.write(chunk)) await once(out, 'drain');
    out.end('# EOF\n');
    await once(out, 'finish');
  }
  mkdirSync(data);
  run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=8760h', rawWithEof, data]);
  rmSync(rawWithEof);
  log('raw series backfilled');

  // Recorded series, level by level.
  const { levels, reads } = dependencyLevels(recordings);
  const long = longHistoryNames(recordings, reads);
  const longFrom = T - 30 * 86400 - 600; // 30 days of the 5m rates (and 10 minutes more)
  const shortFrom = T - 900;
  const levelFiles = [];
  let recordedSamples = 0;
  let server = await startPrometheus(data);
  for (const [i, level] of levels.entries()) {
    const file = path.join(work, `level-${i}.om`);
    const out = writer(file);
    const counts = await pool(level, 2, async (rule) => recordRule(server.url, rule, long.has(rule.record) ? longFrom : shortFrom, out));
    await out.write('# EOF\n');
    await out.close();
    recordedSamples += counts.reduce((a, b) => a + b, 0);
    levelFiles.push(file);
    if (i === levels.length - 1) break;
    await server.stop();
    run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=8760h', file, data]);
    server = await startPrometheus(data);
  }
  await server.stop();
  log(`recording rules: ${levels.length} levels, ${recordedSamples} recorded samples (${[...long].join(', ')} over 30 days)`);

  // One TSDB with raw and recorded series in one promtool run: one block, no overlaps to compact.
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data);
  const all = path.join(work, 'all.om');
  {
    const out = createWriteStream(all);
    for (const f of [rawFile, ...levelFiles]) {
      const size = statSync(f).size;
      const end = f === rawFile ? size - 1 : size - '# EOF\n'.length - 1;
      if (end >= 0) for await (const chunk of createReadStream(f, { start: 0, end })) if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end('# EOF\n');
    await once(out, 'finish');
  }
  rmSync(rawFile);
  for (const f of levelFiles) rmSync(f);
  run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=8760h', all, data]);
  rmSync(all);
  const blocks = readdirSync(data).filter((d) => /^[0-9A-Z]{26}$/.test(d));
  log(`final TSDB: ${blocks.length} block(s); setup took ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  server = await startPrometheus(data);
  const buildInfo = (await (await fetch(`${server.url}/api/v1/status/buildinfo`)).json()).data;

  // Ours: every generated rule, by kind.
  const sloWindow = new Map(); // slo_id -> SLO window (the longest recorded window)
  for (const r of recordings) if (r.labels?.slo_window) {
    const id = r.labels.slo_id;
    if (!sloWindow.has(id) || seconds(r.labels.slo_window) > seconds(sloWindow.get(id))) sloWindow.set(id, r.labels.slo_window);
  }
  const kindOf = (r) => {
    if (r.alert) return 'alerts';
    if (r.group.includes('-meta')) return 'metadata';
    const w = r.labels?.slo_window;
    if (w === sloWindow.get(r.labels.slo_id)) return 'SLO window (30d): rates + ratio';
    if (r.record.startsWith('slo:sli_error:ratio_rate')) return 'alert windows: ratios of recorded rates';
    return 'alert windows: rates from raw series';
  };
  const oursQueries = rules.map((r) => ({ kind: kindOf(r), expr: r.expr, interval: r.interval, rule: r }));
  // Naive: every window of every SLO (the alert windows and the SLO window) as one ratio from raw series.
  const ratioInterval = new Map(recordings.filter((r) => r.record.startsWith('slo:sli_error:ratio_rate')).map((r) => [`${r.labels.slo_id} ${r.labels.slo_window}`, r.interval]));
  const naiveQueries = [];
  for (const [id, sw] of sloWindow) {
    const windows = [...new Set(recordings.filter((r) => r.labels?.slo_id === id && r.labels.slo_window).map((r) => r.labels.slo_window))];
    for (const w of windows) {
      naiveQueries.push({ kind: w === sw ? 'SLO window (30d): ratio' : 'alert windows: ratios from raw series', expr: naiveRatio(id, w), interval: ratioInterval.get(`${id} ${w}`) ?? GLOBAL_INTERVAL, id, w });
    }
  }
  log(`measuring ${oursQueries.length} + ${naiveQueries.length} queries, ${REPEAT} runs each after a warm-up`);
  let perStep = true;
  for (const q of [...oursQueries, ...naiveQueries]) {
    Object.assign(q, await measure(server.url, q.expr));
    perStep &&= q.perStep;
  }

  // Sanity: the SLO-window ratio from the 5m recordings agrees with the 30-day rate() ratio.
  let maxRelDiff = 0;
  for (const q of naiveQueries.filter((q) => q.w === sloWindow.get(q.id))) {
    const ours = oursQueries.find((o) => o.rule.record === `slo:sli_error:ratio_rate${q.w}` && o.rule.labels.slo_id === q.id);
    const a = Number(ours.result[0]?.value[1]);
    const b = Number(q.result[0]?.value[1]);
    maxRelDiff = Math.max(maxRelDiff, Math.abs(a - b) / Math.abs(b));
  }
  await server.stop();

  // ------------------------------------------------------------------------------------ report
  const sum = (qs, f) => qs.reduce((a, q) => a + f(q), 0);
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const ms = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const row = (set, kind, qs) =>
    `| ${set} | ${kind} | ${qs.length} | ${fmt(sum(qs, (q) => q.samples))} | ${ms(sum(qs, (q) => q.evalMs))} | ${ms(sum(qs, (q) => q.wallMs))} | ${fmt(sum(qs, (q) => (q.samples * 3600) / q.interval))} |`;
  const kinds = (qs) => [...new Set(qs.map((q) => q.kind))];
  const slos = sloWindow.size;
  const rawSeries = SERVICES * INSTANCES * (CODES.length + BUCKETS.length);

  const lines = [];
  lines.push(`Prometheus ${buildInfo.version}; node ${process.version}; ${SERVICES} services, ${slos} SLOs (availability + latency, 30d), ${rawSeries} raw series at ${SCRAPE}s over ${DAYS} days (${fmt(rawSamples)} samples); ${fmt(recordedSamples)} recorded samples; ${blocks.length} TSDB block(s); global evaluation_interval ${GLOBAL_INTERVAL}s; median of ${REPEAT} runs per query after a warm-up.`);
  lines.push(`Per-step stats (promql-per-step-stats): ${perStep ? 'available' : 'NOT available'}; samples = stats.samples.totalQueryableSamples of an instant query at the end of the data.`);
  lines.push('');
  lines.push('| rules | part | queries | samples touched / evaluation | eval time / evaluation (ms, server) | wall time / evaluation (ms, HTTP) | samples touched / hour at the group intervals |');
  lines.push('|---|---|---:|---:|---:|---:|---:|');
  for (const k of kinds(oursQueries)) lines.push(row('slo build', k, oursQueries.filter((q) => q.kind === k)));
  lines.push(row('**slo build**', '**all rules**', oursQueries));
  for (const k of kinds(naiveQueries)) lines.push(row('naive', k, naiveQueries.filter((q) => q.kind === k)));
  lines.push(row('**naive**', '**all windows from raw series**', naiveQueries));
  lines.push('');
  const oursWinAll = oursQueries.filter((q) => q.kind.startsWith('SLO window'));
  const naiveWin = naiveQueries.filter((q) => q.kind.startsWith('SLO window'));
  const ratio = (a, b) => `${(a / b).toFixed(1)}x`;
  lines.push('| comparison | slo build | naive | naive / slo build |');
  lines.push('|---|---:|---:|---:|');
  lines.push(`| 30d window, all 3 rules (rates + ratio) vs the naive ratio, samples per SLO | ${fmt(sum(oursWinAll, (q) => q.samples) / slos)} | ${fmt(sum(naiveWin, (q) => q.samples) / slos)} | ${ratio(sum(naiveWin, (q) => q.samples), sum(oursWinAll, (q) => q.samples))} |`);
  // The ratio alone reads the two recorded 30d rates (2 samples): compare the window's three rules, not it.
  lines.push(`| 30d window, all 3 rules vs the naive ratio, eval ms per SLO | ${ms(sum(oursWinAll, (q) => q.evalMs) / slos)} | ${ms(sum(naiveWin, (q) => q.evalMs) / slos)} | ${ratio(sum(naiveWin, (q) => q.evalMs), sum(oursWinAll, (q) => q.evalMs))} |`);
  lines.push(`| full evaluation, samples | ${fmt(sum(oursQueries, (q) => q.samples))} | ${fmt(sum(naiveQueries, (q) => q.samples))} | ${ratio(sum(naiveQueries, (q) => q.samples), sum(oursQueries, (q) => q.samples))} |`);
  lines.push(`| full evaluation, eval ms | ${ms(sum(oursQueries, (q) => q.evalMs))} | ${ms(sum(naiveQueries, (q) => q.evalMs))} | ${ratio(sum(naiveQueries, (q) => q.evalMs), sum(oursQueries, (q) => q.evalMs))} |`);
  lines.push(`| samples per hour at the group intervals | ${fmt(sum(oursQueries, (q) => (q.samples * 3600) / q.interval))} | ${fmt(sum(naiveQueries, (q) => (q.samples * 3600) / q.interval))} | ${ratio(sum(naiveQueries, (q) => (q.samples * 3600) / q.interval), sum(oursQueries, (q) => (q.samples * 3600) / q.interval))} |`);
  lines.push('');
  lines.push(`30d error ratio from the 5m recordings vs the 30-day rate(): largest relative difference ${(maxRelDiff * 100).toFixed(3)}% over ${slos} SLOs.`);
  lines.push('');
  lines.push(`Command: \`npm run build && ${command}\``);
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
