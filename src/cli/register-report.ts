/**
 * The `report` subcommand, registered on the program by src/cli/main.ts. Flags are parsed into typed
 * args here; the command module is imported only when the command runs.
 */
import { Option, type Command } from 'commander';
import type { View } from '../views/view.js';
import { collect, pathFlag, TEMPLATES_HELP } from './shared-flags.js';
import type { ReportArgs } from './commands/report.js';


interface ReportFlags {
  period?: string;
  at?: string;
  source: 'prometheus' | 'datadog' | 'elasticsearch';
  prometheusUrl?: string;
  elasticsearchUrl?: string;
  format: 'markdown' | 'html' | 'json';
  out?: string;
  failOn?: string;
  template?: string;
  config?: string;
  templates?: string[];
}

export function registerReport(cmd: Command, view: View, run: (fn: () => Promise<number>) => () => Promise<void>): void {
  cmd
    .command('report')
    .description('Error-budget report of every SLO over a period (budget left, burn rates, status, trend), for reviews and as a CI gate.')
    .argument('[paths...]', 'spec files or directories (default: specs in slo.config.yaml, else slos/)')
    .option('--period <duration>', 'the reported period (default 7d)')
    .option('--at <time>', 'end of the period: unix seconds or RFC 3339 (default: now)')
    .addOption(new Option('--source <source>', 'where the SLIs are measured').choices(['prometheus', 'datadog', 'elasticsearch']).default('prometheus'))
    .option('--prometheus-url <url>', 'Prometheus base URL (default: $PROMETHEUS_URL, else prometheus.url in slo.config.yaml)')
    .option('--elasticsearch-url <url>', 'Elasticsearch base URL (default: $ELASTICSEARCH_URL, else elasticsearch.url in slo.config.yaml); API key from $ELASTICSEARCH_API_KEY')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'html', 'json']).default('markdown'))
    .option('-o, --out <file>', 'write the report to a file instead of stdout', pathFlag('slo-report.md'))
    .option('--fail-on <levels>', 'exit 2 when an SLO is exhausted, burning (or worse), or has no-data (comma-separated)')
    .option('--template <file>', 'handlebars template replacing the built-in markdown or html one')
    .option('--config <file>', 'config file (default: ./slo.config.yaml)')
    .option('--templates <dir>', TEMPLATES_HELP, collect)
    .addHelpText(
      'after',
      `
Examples:
  $ slo report --prometheus-url http://prometheus:9090            # Markdown for the weekly review
  $ slo report --format html --out slo-report.html                # one self-contained file with charts
  $ slo report --period 28d --at 2024-03-01T00:00:00Z --format json
  $ slo report slos/checkout.yaml --fail-on exhausted             # CI release gate: exit 2 if a budget is spent
  $ slo report --fail-on burning,no-data --format json --out report.json
  $ slo report --template team-report.hbs                         # your own Markdown layout
  $ slo report --source elasticsearch --elasticsearch-url https://es:9200   # counts from Elasticsearch`,
    )
    .action((paths: string[] = [], o: ReportFlags) =>
      run(async () => (await import('./commands/report.js')).reportCommand(reportArgs(paths, o), view))(),
    );
}

function reportArgs(paths: string[], o: ReportFlags): ReportArgs {
  return {
    paths,
    source: o.source,
    format: o.format,
    templates: o.templates ?? [],
    ...(o.period !== undefined ? { period: o.period } : {}),
    ...(o.at !== undefined ? { at: o.at } : {}),
    ...(o.prometheusUrl !== undefined ? { prometheusUrl: o.prometheusUrl } : {}),
    ...(o.elasticsearchUrl !== undefined ? { elasticsearchUrl: o.elasticsearchUrl } : {}),
    ...(o.out !== undefined ? { out: o.out } : {}),
    ...(o.failOn !== undefined ? { failOn: o.failOn } : {}),
    ...(o.template !== undefined ? { template: o.template } : {}),
    ...(o.config !== undefined ? { config: o.config } : {}),
  };
}
