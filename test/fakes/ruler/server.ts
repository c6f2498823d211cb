/**
 * A fake Mimir ruler configuration API, close enough to Mimir's pkg/ruler/api.go to test the ruler
 * provider against:
 *   GET    /prometheus/config/v1/rules                    → YAML {namespace: [groups]}; 404 when empty
 *   GET    /prometheus/config/v1/rules/{ns}               → YAML {ns: [groups]}; 404 "no rule groups found"
 *   GET    /prometheus/config/v1/rules/{ns}/{group}       → YAML group; 404 "group does not exist"
 *   POST   /prometheus/config/v1/rules/{ns}               ← YAML group; replaces a group of that name; 202
 *   DELETE /prometheus/config/v1/rules/{ns}/{group}       → 202; 404 when absent
 *   DELETE /prometheus/config/v1/rules/{ns}               → 202; 404 when absent
 * Every request needs X-Scope-OrgID (401 otherwise). Bodies are validated as Prometheus rule groups
 * (structure, names, durations, and PromQL with the Prometheus project's own grammar), 400 otherwise.
 * Groups come back as Mimir formats them: Go struct field order, sorted label keys, and durations in
 * Prometheus' own spelling (7d → 1w, 28d → 4w), so normalisation is exercised.
 *
 * Faults, set on `faults` at any time: latency on every request; bursts of 429 with Retry-After or
 * X-RateLimit-Reset; bursts of 5xx (nothing applied); writes that are applied and then lose their
 * response (the connection is dropped).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml, stringify } from 'yaml';

export type Group = Record<string, unknown> & { name: string; rules: Record<string, unknown>[] };

export interface Faults {
  latencyMs: number;
  /** The next `remaining` requests get 429. */
  rateLimit: { remaining: number; retryAfterSeconds: number; header: 'retry-after' | 'x-ratelimit-reset' };
  /** The next `remaining` requests get this status, with no effect. */
  serverErrors: { remaining: number; status: number };
  /** The next `remaining` writes (POST, DELETE) take effect, then the connection drops without a response. */
  dropAfterWrite: { remaining: number };
}

export interface Stats {
  requests: number;
  byMethod: Record<string, number>;
  /** Writes that took effect. */
  applied: number;
  rateLimited: number;
  serverErrors: number;
  dropped: number;
  rejected: string[];
}

export interface FakeRuler {
  readonly url: string;
  readonly faults: Faults;
  readonly stats: Stats;
  /** tenant → namespace → groups, in insertion order (an array, so duplicates would show). */
  readonly state: Map<string, Map<string, Group[]>>;
  groups(tenant: string, namespace: string): Group[];
  seed(tenant: string, namespace: string, ...groups: Group[]): void;
  resetStats(): void;
  close(): Promise<void>;
}

const PREFIX = '/prometheus/config/v1/rules';

export function noFaults(): Faults {
  return { latencyMs: 0, rateLimit: { remaining: 0, retryAfterSeconds: 1, header: 'retry-after' }, serverErrors: { remaining: 0, status: 503 }, dropAfterWrite: { remaining: 0 } };
}

function emptyStats(): Stats {
  return { requests: 0, byMethod: {}, applied: 0, rateLimited: 0, serverErrors: 0, dropped: 0, rejected: [] };
}

/**
 * `authorization`: the exact Authorization header every request must carry, as a gateway in front of
 * Mimir checks it (Grafana Cloud: Basic instance-id:token); 401 without it.
 */
export async function startFakeRuler(options: { authorization?: string } = {}): Promise<FakeRuler> {
  const state = new Map<string, Map<string, Group[]>>();
  const faults = noFaults();
  let stats = emptyStats();

  const namespaces = (tenant: string) => {
    let t = state.get(tenant);
    if (!t) state.set(tenant, (t = new Map()));
    return t;
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      void handle(req, res, body);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    stats.requests++;
    const method = req.method ?? 'GET';
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.rateLimit.remaining > 0) {
      faults.rateLimit.remaining--;
      stats.rateLimited++;
      const header = faults.rateLimit.header === 'retry-after' ? { 'Retry-After': String(faults.rateLimit.retryAfterSeconds) } : { 'X-RateLimit-Reset': String(faults.rateLimit.retryAfterSeconds) };
      return send(res, 429, 'too many requests\n', { 'Content-Type': 'text/plain', ...header });
    }
    if (faults.serverErrors.remaining > 0) {
      faults.serverErrors.remaining--;
      stats.serverErrors++;
      return send(res, faults.serverErrors.status, 'unavailable\n', { 'Content-Type': 'text/plain' });
    }
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
      return send(res, 401, 'authentication required\n', { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="mimir"' });
    }
    const tenant = req.headers['x-scope-orgid'];
    if (typeof tenant !== 'string' || tenant === '') return send(res, 401, 'no org id\n');

    const url = new URL(req.url ?? '/', 'http://fake');
    if (!url.pathname.startsWith(PREFIX)) return send(res, 404, '404 page not found\n');
    const parts = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    const [ns, group, extra] = parts;
    if (extra !== undefined) return send(res, 404, '404 page not found\n');
    const spaces = namespaces(tenant);

    if (method === 'GET') {
      if (ns === undefined) {
        const all = Object.fromEntries([...spaces].filter(([, gs]) => gs.length > 0).sort(([a], [b]) => a.localeCompare(b)).map(([n, gs]) => [n, gs.map(format)]));
        return Object.keys(all).length === 0 ? send(res, 404, 'no rule groups found\n') : sendYaml(res, all);
      }
      const gs = spaces.get(ns) ?? [];
      if (group === undefined) return gs.length === 0 ? send(res, 404, 'no rule groups found\n') : sendYaml(res, { [ns]: gs.map(format) });
      const g = gs.find((x) => x.name === group);
      return g ? sendYaml(res, format(g)) : send(res, 404, 'group does not exist\n');
    }

    if (method === 'POST' && ns !== undefined && group === undefined) {
      let parsed: unknown;
      try {
        parsed = parseYaml(body);
      } catch {
        stats.rejected.push('unable to decoded rule group');
        return send(res, 400, 'unable to decoded rule group\n');
      }
      const problems = validateGroup(parsed);
      if (problems.length > 0) {
        stats.rejected.push(problems.join(', '));
        return send(res, 400, `${problems.join(', ')}\n`);
      }
      const g = parsed as Group;
      const gs = spaces.get(ns) ?? [];
      const i = gs.findIndex((x) => x.name === g.name);
      if (i >= 0) gs[i] = g;
      else gs.push(g);
      spaces.set(ns, gs);
      return accepted(res);
    }

    if (method === 'DELETE' && ns !== undefined) {
      const gs = spaces.get(ns) ?? [];
      if (group === undefined) {
        if (gs.length === 0) return send(res, 404, 'unable to find requested namespace\n');
        spaces.delete(ns);
        return accepted(res);
      }
      const i = gs.findIndex((x) => x.name === group);
      if (i < 0) return send(res, 404, 'group does not exist\n');
      gs.splice(i, 1);
      return accepted(res);
    }
    return send(res, 405, 'method not allowed\n');
  }

  /** Mimir's respondAccepted; or, as a fault, the write happened and the response is lost. */
  function accepted(res: ServerResponse): void {
    stats.applied++;
    if (faults.dropAfterWrite.remaining > 0) {
      faults.dropAfterWrite.remaining--;
      stats.dropped++;
      res.socket?.destroy();
      return;
    }
    send(res, 202, JSON.stringify({ status: 'success', data: null, errorType: '', error: '' }), { 'Content-Type': 'application/json' });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    faults,
    get stats() {
      return stats;
    },
    state,
    groups: (tenant, namespace) => state.get(tenant)?.get(namespace) ?? [],
    seed: (tenant, namespace, ...groups) => {
      const spaces = namespaces(tenant);
      spaces.set(namespace, [...(spaces.get(namespace) ?? []), ...groups]);
    },
    resetStats: () => {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' }): void {
  res.writeHead(status, headers);
  res.end(text);
}

function sendYaml(res: ServerResponse, value: unknown): void {
  send(res, 200, stringify(value, { lineWidth: 0 }), { 'Content-Type': 'application/yaml' });
}

// ---- Mimir's output format ------------------------------------------------------------------------

const GROUP_FIELDS = ['name', 'interval', 'query_offset', 'limit', 'rules'];
const RULE_FIELDS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];
const DURATION_FIELDS = new Set(['interval', 'query_offset', 'for', 'keep_firing_for']);

/** A stored group as Mimir prints it (rulespb.FromProto + yaml.v3). */
function format(g: Group): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of GROUP_FIELDS) {
    const v = g[k];
    if (v === undefined || v === null) continue;
    if (k === 'rules') out[k] = (v as Record<string, unknown>[]).map(formatRule);
    else if (DURATION_FIELDS.has(k)) {
      const ms = durationMs(String(v));
      if (ms) out[k] = promDuration(ms);
    } else out[k] = v;
  }
  return out;
}

function formatRule(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of RULE_FIELDS) {
    const v = r[k];
    if (v === undefined || v === null) continue;
    if (DURATION_FIELDS.has(k)) {
      const ms = durationMs(String(v));
      if (ms) out[k] = promDuration(ms);
    } else if (k === 'labels' || k === 'annotations') {
      const m = v as Record<string, unknown>;
      if (Object.keys(m).length > 0) out[k] = Object.fromEntries(Object.keys(m).sort().map((lk) => [lk, String(m[lk])]));
    } else out[k] = v;
  }
  return out;
}

const UNITS: [string, number, boolean][] = [
  ['y', 365 * 86_400_000, true],
  ['w', 7 * 86_400_000, true],
  ['d', 86_400_000, false],
  ['h', 3_600_000, false],
  ['m', 60_000, false],
  ['s', 1000, false],
  ['ms', 1, false],
];

/** Prometheus model.Duration.String(): years and weeks only when exact. */
export function promDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size, exact] of UNITS) {
    if (exact && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

function durationMs(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (!m || text === '') return undefined;
  return UNITS.reduce((sum, [, size], i) => sum + Number(m[i + 1] ?? 0) * size, 0);
}

// ---- validation, as Mimir's ValidateRuleGroup does it ---------------------------------------------

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const GROUP_KEYS = new Set(['name', 'interval', 'query_offset', 'limit', 'rules', 'source_tenants', 'evaluation_delay', 'align_evaluation_time_on_interval']);
const RULE_KEYS = new Set(RULE_FIELDS);

export function validateGroup(data: unknown): string[] {
  const problems: string[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return ['unable to decoded rule group'];
  const g = data as Record<string, unknown>;
  for (const k of Object.keys(g)) if (!GROUP_KEYS.has(k)) problems.push(`field ${k} not found in type rulefmt.RuleGroup`);
  if (typeof g['name'] !== 'string' || g['name'] === '') problems.push('rule group name must not be empty');
  if (g['interval'] !== undefined && durationMs(String(g['interval'])) === undefined) problems.push(`invalid interval ${String(g['interval'])}`);
  if (!Array.isArray(g['rules'])) return [...problems, 'rules must be a list'];
  g['rules'].forEach((raw, i) => {
    const at = `group "${String(g['name'])}", rule ${i + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return void problems.push(`${at}: not a mapping`);
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) problems.push(`${at}: field ${k} not found in type rulefmt.Rule`);
    const isRecord = r['record'] !== undefined;
    const isAlert = r['alert'] !== undefined;
    if (isRecord === isAlert) problems.push(`${at}: one of 'record' or 'alert' must be set`);
    if (isRecord && (typeof r['record'] !== 'string' || !METRIC_NAME.test(r['record']))) problems.push(`${at}: invalid recording rule name: ${String(r['record'])}`);
    if (isAlert && (typeof r['alert'] !== 'string' || r['alert'] === '')) problems.push(`${at}: invalid alert name`);
    if (isRecord && (r['for'] !== undefined || r['annotations'] !== undefined || r['keep_firing_for'] !== undefined)) problems.push(`${at}: invalid field 'for', 'keep_firing_for' or 'annotations' in recording rule`);
    for (const k of ['for', 'keep_firing_for']) if (r[k] !== undefined && durationMs(String(r[k])) === undefined) problems.push(`${at}: invalid ${k} ${String(r[k])}`);
    if (typeof r['expr'] !== 'string' || r['expr'].trim() === '') problems.push(`${at}: field 'expr' must be set in rule`);
    else {
      const err = promqlError(r['expr']);
      if (err) problems.push(`${at}: could not parse expression: ${err}`);
    }
    for (const k of ['labels', 'annotations']) {
      const m = r[k];
      if (m === undefined) continue;
      if (typeof m !== 'object' || m === null || Array.isArray(m)) problems.push(`${at}: ${k} must be a mapping`);
      else for (const name of Object.keys(m)) if (!LABEL_NAME.test(name)) problems.push(`${at}: invalid ${k} name: ${name}`);
    }
  });
  return problems;
}

function promqlError(expr: string): string | undefined {
  let error: string | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (error === undefined && node.type.isError) error = `syntax error at position ${node.from + 1}`;
    },
  });
  return error;
}
