/**
 * A fake of the two Datadog v1 endpoints the report calls, checked against the official OpenAPI spec
 * (../shared/reference/datadog/v1-openapi.yaml, read in place):
 *
 *   GET /api/v1/slo?tags_query=&limit=&offset=          SLOListResponse
 *   GET /api/v1/slo/{slo_id}/history?from_ts=&to_ts=    SLOHistoryResponse (metric SLO)
 *
 * Requests: both keys required (403), query parameters only those the spec lists, with their types
 * and `required` (400 otherwise). Responses are validated against the spec's schemas before they are
 * sent, the history one closed (no field the spec does not document), so the report relies on nothing
 * undocumented. Like the real API (cassette "Get an SLO's history returns OK response"), history series
 * are per-interval good (numerator) and total (denominator) counts from the interval at or before
 * from_ts, and `sli_value` is rounded to `span_precision` decimals; it is null, with an error, when there
 * were no events.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { REFERENCE, toJsonSchema } from '../datadog/openapi.js';

export interface FakeSlo {
  readonly id: string;
  readonly tags: readonly string[];
  readonly name: string;
  readonly target: number;
  /** Events per second and error ratio at a time (ms); no events before `startMs`. */
  readonly rate: number;
  readonly errorRatio: (tMs: number) => number;
  readonly startMs?: number;
}

export interface FakeDatadogHistory {
  readonly url: string;
  readonly apiKey: string;
  readonly appKey: string;
  readonly calls: string[];
  /** Answer history calls whose path matches with this status. */
  failHistory?: { match: RegExp; status: number };
  close(): Promise<void>;
}

type Schema = Record<string, unknown>;
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema: { type: string };
}

const spec = parse(readFileSync(path.join(REFERENCE, 'v1-openapi.yaml'), 'utf8')) as {
  paths: Record<string, { get: { parameters: Parameter[] } }>;
  components: { schemas: Record<string, Schema> };
};

function validator(name: string, closed: boolean): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
  addFormats(ajv);
  const definitions = Object.fromEntries(Object.entries(spec.components.schemas).map(([k, v]) => [k, toJsonSchema(v, closed)]));
  ajv.addSchema({ $id: 'dd', definitions });
  return ajv.getSchema(`dd#/definitions/${name}`)!;
}

const validHistory = validator('SLOHistoryResponse', true);
const validList = validator('SLOListResponse', false);

/** The spec's query parameters of a GET path: unknown ones, missing required ones and bad integers are errors. */
function queryProblems(specPath: string, query: URLSearchParams): string[] {
  const params = spec.paths[specPath]!.get.parameters.filter((p) => p.in === 'query');
  const problems: string[] = [];
  for (const key of query.keys()) if (!params.some((p) => p.name === key)) problems.push(`unknown query parameter ${key}`);
  for (const p of params) {
    const v = query.get(p.name);
    if (v === null) {
      if (p.required) problems.push(`missing required query parameter ${p.name}`);
      continue;
    }
    if (p.schema.type === 'integer' && !/^-?\d+$/.test(v)) problems.push(`${p.name} must be an integer, got ${v}`);
    if (p.schema.type === 'boolean' && v !== 'true' && v !== 'false') problems.push(`${p.name} must be a boolean`);
  }
  return problems;
}

export async function startFakeDatadogHistory(slos: readonly FakeSlo[]): Promise<FakeDatadogHistory> {
  const apiKey = 'fake-api-key';
  const appKey = 'fake-app-key';
  const calls: string[] = [];
  const fake: { failHistory?: { match: RegExp; status: number } } = {};
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    calls.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown, validate?: ValidateFunction) => {
      if (validate && !validate(body)) {
        status = 500;
        body = { errors: [`fake produced an invalid response: ${JSON.stringify(validate.errors?.slice(0, 3))}`] };
      }
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers['dd-api-key'] !== apiKey || req.headers['dd-application-key'] !== appKey) return send(403, { errors: ['Forbidden'] });
    if (req.method !== 'GET') return send(405, { errors: ['Method not allowed'] });
    if (url.pathname === '/api/v1/slo') {
      const problems = queryProblems('/api/v1/slo', url.searchParams);
      if (problems.length) return send(400, { errors: problems });
      const tag = url.searchParams.get('tags_query');
      const matching = slos.filter((s) => tag === null || s.tags.includes(tag));
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      const page = matching.slice(offset, offset + limit).map((s) => ({
        id: s.id,
        name: s.name,
        type: 'metric',
        tags: [...s.tags].sort(),
        thresholds: [{ timeframe: '30d', target: s.target, target_display: String(s.target) }],
        query: { numerator: 'sum:good{*}.as_count()', denominator: 'sum:all{*}.as_count()' },
      }));
      return send(200, { data: page, errors: [], metadata: { page: { total_count: matching.length, total_filtered_count: matching.length } } }, validList);
    }
    const m = /^\/api\/v1\/slo\/([^/]+)\/history$/.exec(url.pathname);
    if (m) {
      const problems = queryProblems('/api/v1/slo/{slo_id}/history', url.searchParams);
      const from = Number(url.searchParams.get('from_ts'));
      const to = Number(url.searchParams.get('to_ts'));
      if (problems.length === 0 && !(from < to)) problems.push('from_ts must be before to_ts');
      if (problems.length) return send(400, { errors: problems });
      if (fake.failHistory && fake.failHistory.match.test(url.pathname)) return send(fake.failHistory.status, { errors: ['Internal Server Error'] });
      const slo = slos.find((s) => s.id === decodeURIComponent(m[1]!));
      if (!slo) return send(404, { errors: ['SLO not found'] });
      return send(200, history(slo, from, to), validHistory);
    }
    return send(404, { errors: ['Not found'] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    appKey,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Datadog picks the interval from the span; this fake picks the smallest nice one giving at most 40 points. */
function intervalFor(spanSeconds: number): number {
  return [60, 300, 600, 1800, 3600, 7200, 14_400, 43_200, 86_400].find((i) => spanSeconds / i <= 40) ?? 86_400;
}

/** Exact counts of good and all events in [fromS, toS) for a piecewise-constant error ratio (changes on whole minutes). */
function events(slo: FakeSlo, fromS: number, toS: number): { good: number; total: number } {
  let good = 0;
  let total = 0;
  for (let t = Math.ceil(fromS / 60) * 60; t < toS; t += 60) {
    const start = Math.max(t, fromS);
    const end = Math.min(t + 60, toS);
    if (slo.startMs !== undefined && start * 1000 < slo.startMs) continue;
    const n = slo.rate * (end - start);
    total += n;
    good += n * (1 - slo.errorRatio(start * 1000));
  }
  // The first partial minute, before the loop's first whole minute.
  const head = Math.min(Math.ceil(fromS / 60) * 60, toS);
  if (head > fromS && !(slo.startMs !== undefined && fromS * 1000 < slo.startMs)) {
    const n = slo.rate * (head - fromS);
    total += n;
    good += n * (1 - slo.errorRatio(fromS * 1000));
  }
  return { good, total };
}

function history(slo: FakeSlo, from: number, to: number): unknown {
  const interval = intervalFor(to - from);
  const times: number[] = [];
  const goodValues: number[] = [];
  const totalValues: number[] = [];
  for (let t = Math.floor(from / interval) * interval; t < to; t += interval) {
    const e = events(slo, Math.max(t, from), Math.min(t + interval, to));
    times.push(t * 1000);
    goodValues.push(e.good);
    totalValues.push(e.total);
  }
  const good = goodValues.reduce((a, b) => a + b, 0);
  const total = totalValues.reduce((a, b) => a + b, 0);
  const sli = total > 0 ? Math.round((good / total) * 100 * 100) / 100 : null;
  const series = (values: number[], sum: number) => ({ count: values.length, sum, values, metadata: { unit: null } });
  return {
    data: {
      from_ts: from,
      to_ts: to,
      type: 'metric',
      type_id: 1,
      thresholds: { '30d': { timeframe: '30d', target: slo.target, target_display: String(slo.target) } },
      overall: {
        sli_value: sli,
        span_precision: 2,
        ...(sli === null ? { errors: [{ error_message: 'The denominator is zero valued', error_type: 'ZERO_VALUED_DENOMINATOR' }] } : {}),
      },
      series: {
        res_type: 'time_series',
        resp_version: 2,
        interval,
        query: 'default_zero(sum:good{*}.as_count()), default_zero(sum:all{*}.as_count())',
        message: '',
        times,
        numerator: series(goodValues, good),
        denominator: series(totalValues, total),
      },
    },
    errors: null,
  };
}
