/**
 * `slo report`: flags → config and specs → measurements from the source → buildReport → views.report.
 * With `--fail-on` it is a release gate: exit 2 when an SLO is in a failing status.
 */
import { urlHasCredentials } from '../../providers/http.js';
import { readFile } from 'node:fs/promises';
import { assetPath } from '../../assets.js';
import { prepareSli } from '../../backends/prometheus/sli-expr.js';
import { outputPathProblem, writeFileAtomic } from '../../build/write-output.js';
import { loadConfig, secretsFromEnv, type Config } from '../../config/config.js';
import { hasErrors, sourceless, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { Duration } from '../../model/duration.js';
import type { Model } from '../../model/types.js';
import { BURN_WINDOWS, DEFAULT_PERIOD, buildReport } from '../../report/build-report.js';
import type { Measurements } from '../../report/measurements.js';
import { measureDatadog } from '../../report/measure-datadog.js';
import { elasticTargets, measureElasticsearch } from '../../report/measure-elasticsearch.js';
import { measurePrometheus, type MeasureOptions, type MeasureResult, type PrometheusTarget } from '../../report/measure-prometheus.js';
import {
  HistoryRunner,
  QueryRunner,
  SearchRunner,
  datadogHistoryClient,
  elasticsearchSearchClient,
  prometheusClient,
  type DatadogClientOptions,
  type ElasticsearchClientOptions,
  type PromClient,
  type SearchClient,
  type SloHistoryClient,
} from '../../report/query.js';
import { apiBaseUrl } from '../../providers/datadog/site.js';
import { GATE_LEVELS, gateStatuses, type GateLevel } from '../../report/status.js';
import { parseReportTime } from '../../report/time.js';
import type { Report, ReportSource } from '../../report/types.js';
import { renderGate, renderReport, renderReportSummary, renderReportTemplate, renderReportWritten, reportJson, type ReportFormat } from '../../views/report.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';
import { specPaths } from '../options.js';

export interface ReportArgs {
  readonly paths: readonly string[];
  readonly period?: string;
  readonly at?: string;
  readonly source: ReportSource;
  readonly prometheusUrl?: string;
  readonly elasticsearchUrl?: string;
  readonly format: ReportFormat;
  readonly out?: string;
  /** Comma-separated gate levels: exhausted, burning, no-data. */
  readonly failOn?: string;
  readonly template?: string;
  readonly config?: string;
  /** `--templates` as given; none: ./sli-templates if present. */
  readonly templates: readonly string[];
}

/** What the command needs from the outside world; tests and benchmarks pass their own. */
export interface ReportDeps {
  readonly now: () => number;
  readonly prometheus: (url: string) => PromClient;
  readonly datadog: (options: DatadogClientOptions) => SloHistoryClient;
  /** Default: the real client over HTTP. */
  readonly elasticsearch?: (options: ElasticsearchClientOptions) => SearchClient;
}

const OUT_HINT = 'choose another --out file';

const defaultDeps: ReportDeps = { now: () => Date.now(), prometheus: (url) => prometheusClient(url), datadog: datadogHistoryClient, elasticsearch: elasticsearchSearchClient };

export async function reportCommand(args: ReportArgs, view: View, deps: ReportDeps = defaultDeps): Promise<number> {
  const diagnostics: Diagnostic[] = [];
  const stop = () => {
    renderDiagnostics(view, diagnostics);
    return EXIT.error;
  };

  const flags = parseFlags(args, deps.now);
  diagnostics.push(...flags.diagnostics);
  // A path that cannot take the report is found before the source is queried, not after.
  const outProblem = args.out !== undefined ? outputPathProblem(args.out, 'file', OUT_HINT) : undefined;
  if (outProblem) diagnostics.push(outProblem);
  const config = await loadConfig(args.config);
  diagnostics.push(...config.diagnostics);
  if (hasErrors(diagnostics) || !flags.value) return stop();
  const { period, atMs, gate } = flags.value;

  const paths = args.paths.length > 0 ? specPaths(args.paths) : [...(config.value.specs ?? specPaths([]))];
  const loaded = await loadSpecs(paths, args.templates);
  diagnostics.push(...loaded.diagnostics);
  if (!loaded.model) return stop();

  const template = await readTemplate(args);
  if ('error' in template) {
    diagnostics.push(template.error);
    return stop();
  }

  const options: MeasureOptions = { atMs, period, burnWindows: BURN_WINDOWS };
  const source =
    args.source === 'prometheus'
      ? await fromPrometheus(args, config.value, loaded.model, view, deps, options)
      : args.source === 'datadog'
        ? await fromDatadog(config.value, loaded.model, view, deps, options)
        : await fromElasticsearch(args, config.value, loaded.model, view, deps, options);
  diagnostics.push(...source.diagnostics);
  if (hasErrors(diagnostics) || !source.measured) return stop();
  const measured = source.measured;

  const report = buildReport({ model: loaded.model, ...measured, atMs, period, source: args.source });
  let text: string;
  try {
    text = args.format === 'json' ? reportJson(report) : renderReportTemplate(report, args.format, template.text!);
  } catch (e) {
    diagnostics.push(sourceless('report-template-invalid', `the ${args.format} template does not render: ${(e as Error).message}`));
    return stop();
  }
  if (args.out !== undefined) {
    const failed = await writeFileAtomic(args.out, text, OUT_HINT);
    if (failed) {
      diagnostics.push(failed);
      return stop();
    }
    renderDiagnostics(view, diagnostics);
    renderReportWritten(view, args.out, report);
  } else {
    renderDiagnostics(view, diagnostics);
    renderReport(view, text);
    renderReportSummary(view, report);
  }
  return gateExit(view, report, gate);
}

type Measured = { measurements: Measurements; skipped: Map<string, string> };

async function fromPrometheus(args: ReportArgs, config: Config, model: Model, view: View, deps: ReportDeps, options: MeasureOptions): Promise<{ measured?: Measured; diagnostics: Diagnostic[] }> {
  const url = args.prometheusUrl ?? nonEmpty(view.streams.env['PROMETHEUS_URL']) ?? config.prometheus?.url;
  if (url === undefined) {
    return { diagnostics: [sourceless('prometheus-url-missing', 'no Prometheus URL: pass --prometheus-url, set PROMETHEUS_URL, or set prometheus.url in slo.config.yaml')] };
  }
  const { targets, skipped, diagnostics } = prometheusTargets(model);
  const result = await measurePrometheus(new QueryRunner(deps.prometheus(url)), targets, options);
  return done(result, skipped, diagnostics);
}

async function fromDatadog(config: Config, model: Model, view: View, deps: ReportDeps, options: MeasureOptions): Promise<{ measured?: Measured; diagnostics: Diagnostic[] }> {
  const where = apiBaseUrl(config.datadog ?? {});
  const secrets = secretsFromEnv(view.streams.env);
  const missing = [secrets.datadogApiKey ? undefined : 'DD_API_KEY', secrets.datadogAppKey ? undefined : 'DD_APP_KEY'].filter((k) => k !== undefined);
  const diagnostics: Diagnostic[] = [...where.diagnostics];
  if (missing.length > 0) diagnostics.push(sourceless('datadog-credentials-missing', `Datadog needs ${missing.join(' and ')} in the environment`));
  if (where.url === undefined || missing.length > 0) return { diagnostics };
  const slos = model.services.flatMap((s) => s.slos);
  const skipped = new Map(slos.filter((s) => s.sli.datadog === undefined).map((s) => [s.id, 'no Datadog SLI'] as const));
  const client = deps.datadog({ url: where.url, apiKey: secrets.datadogApiKey!, appKey: secrets.datadogAppKey! });
  const result = await measureDatadog(new HistoryRunner(client), slos.filter((s) => s.sli.datadog !== undefined), options);
  return done(result, skipped, diagnostics);
}

async function fromElasticsearch(args: ReportArgs, config: Config, model: Model, view: View, deps: ReportDeps, options: MeasureOptions): Promise<{ measured?: Measured; diagnostics: Diagnostic[] }> {
  const url = args.elasticsearchUrl ?? nonEmpty(view.streams.env['ELASTICSEARCH_URL']) ?? config.elasticsearch?.url;
  if (url === undefined) {
    return { diagnostics: [sourceless('elasticsearch-url-missing', 'no Elasticsearch URL: pass --elasticsearch-url, set ELASTICSEARCH_URL, or set elasticsearch.url in slo.config.yaml')] };
  }
  const diagnostics: Diagnostic[] = [];
  // The key comes from the environment only, and is never printed.
  const apiKey = secretsFromEnv(view.streams.env).elasticsearchApiKey;
  if (apiKey === undefined && !urlHasCredentials(url)) {
    diagnostics.push(warning('missing-secret', 'ELASTICSEARCH_API_KEY is not set: slo searches Elasticsearch without credentials'));
  }
  const { targets, skipped, diagnostics: prepared } = elasticTargets(model);
  diagnostics.push(...prepared);
  const client = (deps.elasticsearch ?? elasticsearchSearchClient)({ url, ...(apiKey !== undefined ? { apiKey } : {}) });
  const result = await measureElasticsearch(new SearchRunner(client), targets, options);
  return done(result, skipped, diagnostics);
}

function done(result: MeasureResult, skipped: Map<string, string>, diagnostics: Diagnostic[]): { measured?: Measured; diagnostics: Diagnostic[] } {
  const all = [...diagnostics, ...result.diagnostics];
  return hasErrors(all) ? { diagnostics: all } : { measured: { measurements: result.measurements, skipped }, diagnostics: all };
}

interface Flags {
  readonly period: Duration;
  readonly atMs: number;
  readonly gate: readonly GateLevel[];
}

function parseFlags(args: ReportArgs, now: () => number): { value: Flags | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const period = args.period === undefined ? DEFAULT_PERIOD : Duration.parse(args.period);
  if (!period) diagnostics.push(sourceless('bad-period', `--period takes a duration such as 7d or 1d12h, got "${args.period}"`));
  const atMs = args.at === undefined ? now() : parseReportTime(args.at);
  if (atMs === undefined) diagnostics.push(sourceless('bad-time', `--at takes unix seconds or an RFC 3339 time such as 2024-03-01T09:00:00Z, got "${args.at}"`));
  const gate: GateLevel[] = [];
  for (const level of (args.failOn ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if ((GATE_LEVELS as readonly string[]).includes(level)) gate.push(level as GateLevel);
    else diagnostics.push(sourceless('bad-fail-on', `--fail-on takes ${GATE_LEVELS.join(', ')} (comma-separated), got "${level}"`));
  }
  if (args.template !== undefined && args.format === 'json') diagnostics.push(sourceless('bad-template', '--template applies to the markdown and html formats; JSON is not templated'));
  if (!period || atMs === undefined || diagnostics.length > 0) return { value: undefined, diagnostics };
  return { value: { period, atMs, gate }, diagnostics };
}

/** SLOs with a Prometheus SLI; the others are listed in the report as not measured, with the reason. */
function prometheusTargets(model: Model): { targets: PrometheusTarget[]; skipped: Map<string, string>; diagnostics: Diagnostic[] } {
  const targets: PrometheusTarget[] = [];
  const skipped = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const service of model.services) {
    for (const slo of service.slos) {
      const sli = prepareSli(slo);
      if (sli === undefined) skipped.set(slo.id, 'no Prometheus SLI');
      else if ('error' in sli) {
        skipped.set(slo.id, `Prometheus SLI unusable: ${sli.error}`);
        diagnostics.push(warning('report-sli-unusable', `${slo.id}: ${sli.error}; left out of the report`, slo.fieldSources.sli ?? slo.source, { address: slo.id }));
      } else targets.push({ slo, sli });
    }
  }
  return { targets, skipped, diagnostics };
}

async function readTemplate(args: ReportArgs): Promise<{ text: string | undefined } | { error: Diagnostic }> {
  if (args.format === 'json') return { text: undefined };
  const file = args.template ?? assetPath('src', 'report', 'templates', `${args.format}.hbs`);
  try {
    return { text: await readFile(file, 'utf8') };
  } catch {
    return { error: sourceless('report-template-not-found', `template not found: ${file}`) };
  }
}

function gateExit(view: View, report: Report, gate: readonly GateLevel[]): number {
  if (gate.length === 0) return EXIT.ok;
  // No SLO measured (all skipped: wrong --source, SLIs the source cannot query): a gate over nothing
  // would pass whatever the budgets are.
  if (report.slos.length === 0) {
    const reasons = [...new Set(report.skipped.map((s) => s.reason))].join('; ');
    const skipped = report.skipped.length > 0 ? ` (${report.skipped.length} skipped: ${reasons})` : '';
    renderDiagnostics(view, [sourceless('gate-nothing-measured', `--fail-on: no SLO was measured from ${report.source}${skipped}, so the gate cannot pass; report from the --source that measures these SLOs`)]);
    return EXIT.error;
  }
  const statuses = new Set(gate.flatMap(gateStatuses));
  const failing = report.slos.filter((s) => statuses.has(s.status));
  renderGate(view, failing, [...statuses]);
  return failing.length > 0 ? EXIT.changes : EXIT.ok;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
