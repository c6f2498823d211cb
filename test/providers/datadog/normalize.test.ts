/**
 * Normalisation of Datadog objects (src/providers/datadog/normalize.ts, ids.ts): one test per rule,
 * named after the false diff it prevents, each built from a compiled example body and the field as the
 * real API returns it; then every create recorded against the real API
 * (../shared/reference/datadog/cassettes) must compare equal to its request after normalisation, and
 * real differences must stay differences.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/backends/backend.js';
import { deepEqual } from '../../../src/plan/canonical.js';
import { IdMap } from '../../../src/providers/datadog/ids.js';
import { normalizeDashboard, normalizeMonitor, normalizeSlo, type Body } from '../../../src/providers/datadog/normalize.js';
import { REFERENCE } from '../../datadog/openapi.js';
import { exampleResources } from './harness.js';

let resources: Resource[];
const body = (address: string): Body => structuredClone(resources.find((r) => r.address === address)!.body) as Body;
const SLO = 'datadog/slo/checkout-availability';
const MONITOR = 'datadog/monitor/checkout-availability-page-1h';
const DASHBOARD = 'datadog/dashboard/checkout';

beforeAll(async () => {
  resources = await exampleResources();
});

describe('SLO rules', () => {
  const same = (remote: Body) => expect(normalizeSlo(remote)).toEqual(normalizeSlo(body(SLO)));

  it('server-owned fields (id, created_at, modified_at, creator, type_id) are no diff', () => {
    same({ ...body(SLO), id: '6a3ffb99fc285f4f947ccf83d888558b', created_at: 1704322485, modified_at: 1704322485, creator: { name: null, handle: 'frog@datadoghq.com', email: 'frog@datadoghq.com' }, type_id: 1 });
  });
  it('derived target_display / warning_display ("97.") are no diff', () => {
    const remote = body(SLO);
    remote['thresholds'] = (remote['thresholds'] as Body[]).map((t) => ({ ...t, target_display: '99.9', warning_display: '99.95' }));
    same(remote);
  });
  it('timeframe / target_threshold / warning_threshold filled in from the first threshold are no diff', () => {
    const desired: Body = { ...body(SLO), thresholds: [{ timeframe: '7d', target: 95, warning: 98 }] };
    delete desired['timeframe'];
    delete desired['target_threshold'];
    expect(normalizeSlo({ ...desired, timeframe: '7d', target_threshold: 95, warning_threshold: 98 })).toEqual(normalizeSlo(desired));
  });
  it('an empty description written back as "" is no diff', () => {
    const desired = { ...body(SLO) };
    delete desired['description'];
    expect(normalizeSlo({ ...desired, description: '' })).toEqual(normalizeSlo(desired));
  });
  it('empty monitor_tags / groups / monitor_ids lists the server adds or drops are no diff', () => {
    same({ ...body(SLO), monitor_tags: [], groups: [], monitor_ids: [] });
  });
  it('tags the server sorted are no diff', () => {
    same({ ...body(SLO), tags: [...(body(SLO)['tags'] as string[])].reverse() });
  });
  it('null members (description: null, unset nullable fields) are no diff', () => {
    const desired = { ...body(SLO) };
    delete desired['description'];
    expect(normalizeSlo({ ...desired, description: null, sli_specification: null })).toEqual(normalizeSlo(desired));
  });
});

describe('monitor rules', () => {
  const same = (remote: Body) => expect(normalizeMonitor(remote)).toEqual(normalizeMonitor(body(MONITOR)));

  it('server-owned fields (id, org_id, created, modified, creator, overall_state, multi, ...) are no diff', () => {
    same({
      ...body(MONITOR),
      id: 155845150,
      org_id: 321813,
      created: '2024-10-10T16:40:19.663079+00:00',
      created_at: 1728578419000,
      modified: '2024-10-10T16:40:19.663079+00:00',
      deleted: null,
      creator: { name: null, handle: 'frog@datadoghq.com', email: 'frog@datadoghq.com', id: 1445416 },
      overall_state: 'No Data',
      overall_state_modified: null,
      multi: false,
      matching_downtimes: [],
      restricted: true,
      restriction_policy: null,
      run_as: null,
    });
  });
  it('option defaults the server writes (notify_audit, new_host_delay, silenced, groupby_simple_monitor) are no diff', () => {
    const remote = body(MONITOR);
    remote['options'] = { ...(remote['options'] as Body), notify_audit: false, new_host_delay: 300, silenced: {}, groupby_simple_monitor: false };
    same(remote);
  });
  it('explicit defaults the compiler writes (include_tags: true, notify_no_data: false) are no diff when the API leaves them out', () => {
    const remote = body(MONITOR);
    const options = { ...(remote['options'] as Body) };
    delete options['include_tags'];
    delete options['notify_no_data'];
    same({ ...remote, options });
  });
  it('an option default sent and dropped by the server (on_missing_data: "default") is no diff', () => {
    const desired = body(MONITOR);
    desired['options'] = { ...(desired['options'] as Body), on_missing_data: 'default' };
    expect(normalizeMonitor(body(MONITOR))).toEqual(normalizeMonitor(desired));
  });
  it('a monitor sent without options, answered with only the defaults, is no diff', () => {
    const desired = body(MONITOR);
    delete desired['options'];
    expect(normalizeMonitor({ ...desired, options: { notify_audit: false, silenced: {}, include_tags: true, new_host_delay: 300, notify_no_data: false, groupby_simple_monitor: false } })).toEqual(normalizeMonitor(desired));
  });
  it('"metric alert" answered as "query alert" is no diff', () => {
    expect(normalizeMonitor({ ...body(MONITOR), type: 'query alert' })).toEqual(normalizeMonitor({ ...body(MONITOR), type: 'metric alert' }));
  });
  it('draft_status "published" (the default) is no diff', () => {
    same({ ...body(MONITOR), draft_status: 'published' });
  });
  it('assets: [] is no diff', () => {
    same({ ...body(MONITOR), assets: [] });
  });
  it('null members (priority: null, restricted_roles: null, thresholds.warning: null) are no diff', () => {
    const desired = body(MONITOR);
    delete desired['priority'];
    const remote: Body = { ...structuredClone(desired), priority: null, restricted_roles: null };
    (remote['options'] as Body)['thresholds'] = { ...((remote['options'] as Body)['thresholds'] as Body), warning: null };
    expect(normalizeMonitor(remote)).toEqual(normalizeMonitor(desired));
  });
  it('tags in another order are no diff', () => {
    same({ ...body(MONITOR), tags: [...(body(MONITOR)['tags'] as string[])].reverse() });
  });
});

describe('dashboard rules', () => {
  const same = (remote: Body) => expect(normalizeDashboard(remote)).toEqual(normalizeDashboard(body(DASHBOARD)));

  it('server-owned fields (id, url, author, timestamps) are no diff', () => {
    same({
      ...body(DASHBOARD),
      id: 'u5w-9hp-tch',
      url: '/dashboard/u5w-9hp-tch/checkout-slos',
      author_handle: 'frog@datadoghq.com',
      author_name: null,
      created_at: '2024-11-15T19:32:48.341884+00:00',
      modified_at: '2024-11-15T19:32:48.341884+00:00',
    });
  });
  it('widget ids, nested ones in groups too, are no diff', () => {
    const remote = body(DASHBOARD);
    let n = 2266858598981736;
    const withIds = (w: Body): Body => {
      const def = w['definition'] as Body;
      return { ...w, id: n++, definition: Array.isArray(def['widgets']) ? { ...def, widgets: (def['widgets'] as Body[]).map(withIds) } : def };
    };
    remote['widgets'] = (remote['widgets'] as Body[]).map(withIds);
    expect(JSON.stringify(remote)).toMatch(/"widgets":\[\{"definition":\{[^]*"id":2266858598981739/);
    same(remote);
  });
  it('is_read_only: false is no diff', () => same({ ...body(DASHBOARD), is_read_only: false }));
  it('experience_type: "default" is no diff', () => same({ ...body(DASHBOARD), experience_type: 'default' }));
  it('empty restricted_roles / notify_list / template_variables / tags and their nulls are no diff', () => {
    same({ ...body(DASHBOARD), restricted_roles: [], notify_list: null, template_variables: null, tags: [], template_variable_presets: null });
  });
});

describe('compiled bodies', () => {
  it('are already in normal form: what is sent is exactly what slo build writes', () => {
    const normalize = { slo: normalizeSlo, monitor: normalizeMonitor, dashboard: normalizeDashboard } as const;
    for (const r of resources) expect(normalize[r.kind as keyof typeof normalize](structuredClone(r.body) as Body), r.address).toEqual(r.body);
  });
});

describe('ids back to placeholders', () => {
  it('an SLO id in a query and a widget, a dashboard id in a link read back as the compiled refs', () => {
    const ids = new IdMap();
    ids.set('slo:checkout/availability', '6a3ffb99fc285f4f947ccf83d888558b');
    ids.set('dashboard:checkout', 'u5w-9hp-tch');
    for (const address of [MONITOR, DASHBOARD]) {
      const compiled = body(address);
      const remote = ids.resolve(compiled, address);
      expect(JSON.stringify(remote)).not.toContain('${');
      expect(ids.unresolve(remote)).toEqual(compiled);
    }
  });
  it('an id slo does not know stays as it is, so the plan shows it', () => {
    const ids = new IdMap();
    ids.set('slo:checkout/availability', '6a3ffb99fc285f4f947ccf83d888558b');
    const q = 'burn_rate("0000000000000000000000000000abcd").over("30d").long_window("1h").short_window("5m") > 14.4';
    expect(ids.unresolve({ query: q })).toEqual({ query: q });
  });
  it('replaces an id only where it stands alone, never inside a longer id, and sees ids set after a read', () => {
    const ids = new IdMap();
    ids.set('dashboard:checkout', 'u5w-9hp-tch');
    const text = 'see /dashboard/u5w-9hp-tch and /dashboard/u5w-9hp-tchx and xu5w-9hp-tch';
    expect(ids.unresolve({ text })).toEqual({ text: 'see /dashboard/${dashboard:checkout} and /dashboard/u5w-9hp-tchx and xu5w-9hp-tch' });
    ids.set('dashboard:orders', 'abc-def-ghi');
    expect(ids.unresolve({ text: 'abc-def-ghi' })).toEqual({ text: { $ref: 'dashboard:orders' } });
  });
  it('refuses to resolve a ref whose object has no id yet', () => {
    expect(() => new IdMap().resolve(body(MONITOR), MONITOR)).toThrow(/refers to datadog\/dashboard\/checkout, datadog\/slo\/checkout-availability, which have no Datadog id yet/);
  });
});

describe('real differences stay differences', () => {
  it.each([
    ['a changed objective', SLO, (b: Body) => void (b['target_threshold'] = 99.5), normalizeSlo],
    ['a tag someone added', SLO, (b: Body) => void (b['tags'] = [...(b['tags'] as string[]), 'owner:me']), normalizeSlo],
    ['an option set to a non-default value', MONITOR, (b: Body) => void ((b['options'] as Body)['include_tags'] = false), normalizeMonitor],
    ['a non-default new_host_delay', MONITOR, (b: Body) => void ((b['options'] as Body)['new_host_delay'] = 600), normalizeMonitor],
    ['a renamed dashboard', DASHBOARD, (b: Body) => void (b['title'] = 'mine'), normalizeDashboard],
    ['a removed widget', DASHBOARD, (b: Body) => void (b['widgets'] as Body[]).pop(), normalizeDashboard],
  ] as [string, string, (b: Body) => void, (b: Body) => Body][])('%s', (_name, address, change, normalize) => {
    const changed = body(address);
    change(changed);
    expect(deepEqual(normalize(changed), normalize(body(address)))).toBe(false);
  });
});

// ---- recorded traffic ------------------------------------------------------------------------------------

interface Exchange {
  readonly file: string;
  readonly kind: 'slo' | 'monitor' | 'dashboard';
  readonly request: Body;
  readonly response: Body;
}

function harFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? harFiles(p) : p.endsWith('recording.har') ? [p] : [];
  });
}

/** Every successful create (POST) and update (PUT with a full body) of an SLO, monitor or dashboard. */
function recordedWrites(): Exchange[] {
  const out: Exchange[] = [];
  for (const file of harFiles(path.join(REFERENCE, 'cassettes', 'v1'))) {
    const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: { request: { method: string; url: string; postData?: { text?: string } }; response: { status: number; content?: { text?: string } } }[] } };
    for (const e of har.log.entries) {
      const m = /^\/api\/v1\/(slo|monitor|dashboard)$/.exec(new URL(e.request.url).pathname);
      if (!m || e.request.method !== 'POST' || e.response.status !== 200 || !e.request.postData?.text || !e.response.content?.text) continue;
      const response = JSON.parse(e.response.content.text) as Body;
      out.push({
        file: path.relative(REFERENCE, file),
        kind: m[1] as Exchange['kind'],
        request: JSON.parse(e.request.postData.text) as Body,
        response: m[1] === 'slo' ? ((response['data'] as Body[])[0] as Body) : response,
      });
    }
  }
  return out;
}

/**
 * Recorded creates whose answer differs from the request for a reason that is not a spelling: the
 * server computed something slo never sends. Each is named; nothing else may differ.
 */
const COMPUTED_BY_SERVER: readonly [RegExp, string][] = [
  [/sli_specification/, 'an sli_specification (count formulas, bad events, time slices) is answered with the `query` it stands for and its defaults; slo sends the query itself'],
  [/avalanche_window|Create-a-RUM|Create-an-Error-Tracking|Create-a-ci-|Create-a-Cost|Create-a-Data-|Create-an-LLM/, 'product monitors (RUM, CI, cost, data quality, ...) get type-specific defaults; slo makes only SLO alerts'],
  [/Create-a-monitor-with-assets/, 'assets are answered with the monitor id and empty option objects filled in'],
];

describe('recorded API traffic', () => {
  const writes = recordedWrites();
  const normalize = { slo: normalizeSlo, monitor: normalizeMonitor, dashboard: normalizeDashboard };

  it('has recordings of all three kinds to check against', () => {
    const kinds = new Set(writes.map((w) => w.kind));
    expect([...kinds].sort()).toEqual(['dashboard', 'monitor', 'slo']);
    expect(writes.length).toBeGreaterThan(100);
  });

  it('makes every recorded create compare equal to its request, apart from the named server computations', () => {
    const unexplained: string[] = [];
    const used = new Set<string>();
    let equal = 0;
    for (const w of writes) {
      const a = normalize[w.kind](w.request);
      const b = normalize[w.kind](w.response);
      if (deepEqual(a, b)) {
        equal++;
        continue;
      }
      const why = COMPUTED_BY_SERVER.find(([re]) => re.test(w.file) || re.test(JSON.stringify(w.response)));
      if (why) used.add(why[1]);
      else unexplained.push(`${w.file}: ${JSON.stringify(a).slice(0, 200)} != ${JSON.stringify(b).slice(0, 200)}`);
    }
    expect(unexplained).toEqual([]);
    // Every exception is still needed, and the exceptions stay exceptions.
    expect([...used].sort()).toEqual(COMPUTED_BY_SERVER.map(([, why]) => why).sort());
    expect(equal).toBeGreaterThan(writes.length * 0.8);
  });
});
