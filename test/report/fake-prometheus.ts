/**
 * A counting fake of the Prometheus query API for tests of how the report queries: every `by (slo_id)`
 * query answers one series per SLO that has recording rules, raw SLI queries answer one series, and
 * each query can be made to fail.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { QueryFailure, type PromClient, type Sample, type Series } from '../../src/report/query.js';

export interface FakeOptions {
  /** SLO ids that have recording rules (answer the `by (slo_id)` queries). */
  readonly ruled: readonly string[];
  /** The value of every sample, or of the samples of a query (NaN and ±Inf become null, as the real client does). */
  readonly value?: number | ((expr: string) => number);
  /** A query whose text matches fails with this failure. */
  readonly fail?: { readonly match: RegExp; readonly failure: QueryFailure };
}

export class FakePrometheus implements PromClient {
  readonly instants: string[] = [];
  readonly ranges: string[] = [];

  constructor(private readonly options: FakeOptions) {}

  get queries(): number {
    return this.instants.length + this.ranges.length;
  }

  async instant(expr: string): Promise<readonly Sample[]> {
    this.instants.push(expr);
    this.maybeFail(expr);
    const value = this.valueOf(expr);
    if (expr.includes('by (slo_id)')) return this.options.ruled.map((id) => ({ labels: { slo_id: id }, value }));
    return [{ labels: {}, value }];
  }

  async range(expr: string, startMs: number, endMs: number, stepMs: number): Promise<readonly Series[]> {
    this.ranges.push(expr);
    this.maybeFail(expr);
    const points: Array<readonly [number, number | null]> = [];
    for (let t = startMs; t <= endMs; t += stepMs) points.push([t, this.valueOf(expr)]);
    if (expr.includes('by (slo_id)')) return this.options.ruled.map((id) => ({ labels: { slo_id: id }, points }));
    return [{ labels: {}, points }];
  }

  private valueOf(expr: string): number | null {
    const v = typeof this.options.value === 'function' ? this.options.value(expr) : (this.options.value ?? 0.5);
    return Number.isFinite(v) ? v : null;
  }

  private maybeFail(expr: string): void {
    if (this.options.fail && this.options.fail.match.test(expr)) throw this.options.fail.failure;
  }
}

/** A spec directory of `services` services with `perService` SLOs each, windows cycling through `windows`. */
export function syntheticSpecs(services: number, perService: number, windows: readonly string[] = ['30d']): { dir: string; ids: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-report-specs-'));
  const ids: string[] = [];
  for (let s = 0; s < services; s++) {
    const name = `svc-${s}`;
    const slos = Array.from({ length: perService }, (_, i) => {
      ids.push(`${name}/slo-${i}`);
      return {
        name: `slo-${i}`,
        objective: 99.9,
        window: windows[(s * perService + i) % windows.length],
        sli: {
          events: {
            prometheus: {
              errors: `sum(rate(http_requests_total{job="${name}",route="/r${i}",code=~"5.."}[{{window}}]))`,
              total: `sum(rate(http_requests_total{job="${name}",route="/r${i}"}[{{window}}]))`,
            },
          },
        },
        alerting: { page: false, ticket: false },
      };
    });
    writeFileSync(path.join(dir, `${name}.yaml`), stringify({ apiVersion: 'slo/v1', kind: 'Service', metadata: { name, team: `team-${s % 3}` }, slos }));
  }
  return { dir, ids };
}
