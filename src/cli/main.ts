#!/usr/bin/env node
/**
 * The `slo` command line. Thin: parses flags into typed args, lazy-imports the command module, and maps
 * the outcome to an exit code. Commands and views do the work.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { ExitError, InternalError } from '../diagnostics/errors.js';
import { View } from '../views/view.js';
import { snapshotEnvironment } from './environment.js';
import { EXIT } from './exit-codes.js';
import { registerPlanApply } from './register-plan-apply.js';
import { registerReport } from './register-report.js';
import { collect, pathFlag, SPEC_PATHS_HELP, TEMPLATES_HELP } from './shared-flags.js';

export function program(view: View, setExit: (code: number) => void): Command {
  const run = (fn: () => Promise<number>) => async () => setExit(await fn());
  const cmd = new Command('slo')
    .description('SLOs and monitoring as code: validate service specs and compile them to Prometheus, Grafana, Datadog and Elastic.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => view.out(s.trimEnd()), writeErr: (s) => view.err(s.trimEnd()) })
    .addHelpText(
      'after',
      `
Examples:
  $ slo validate                      # check every spec under slos/
  $ slo build                         # compile slos/ for every target into build/
  $ slo build --target prometheus --prometheus-format rules --out rules/
  $ slo test                          # promtool check + generated alert unit tests
  $ slo init checkout --team payments # write a commented starter spec
  $ slo plan --format markdown        # what apply would change, as a PR comment
  $ slo apply --auto-approve          # sync Prometheus/Grafana/Datadog/Elasticsearch
  $ slo report --fail-on exhausted    # error-budget report as a release gate`,
    );

  cmd
    .command('validate')
    .description('Check specs: JSON Schema, then meaning (objectives, windows, PromQL, routes, templates). Prints every error at once.')
    .argument('[paths...]', SPEC_PATHS_HELP)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--target <targets>', 'also run the checks of these targets (comma-separated)')
    .option('--templates <dir>', TEMPLATES_HELP, collect)
    .addHelpText('after', '\nExamples:\n  $ slo validate\n  $ slo validate slos/checkout.yaml --format json\n  $ slo validate --target datadog   # also check what Datadog can express')
    .action((paths: string[] = [], o: { format: 'text' | 'json'; target?: string; templates?: string[] }) =>
      run(async () => (await import('./commands/validate.js')).validateCommand({ paths, format: o.format, templates: o.templates ?? [], ...(o.target ? { target: o.target } : {}) }, view))(),
    );

  cmd
    .command('build')
    .description('Compile specs for the targets into an output directory (atomically; stale files are removed).')
    .argument('[paths...]', SPEC_PATHS_HELP)
    .option('-o, --out <dir>', 'output directory', pathFlag('build (or . for the current folder)'), 'build')
    .option('--target <targets>', 'comma-separated targets: prometheus, grafana, datadog, elastic (default: all that have work)')
    .addOption(new Option('--prometheus-format <format>', 'Prometheus output: PrometheusRule CRDs or plain rule files').choices(['operator', 'rules']))
    .option('--grafana-url <url>', 'Grafana base URL for dashboard links in alerts')
    .option('--option <key=value>', 'backend option (repeatable)', collect)
    .option('--templates <dir>', TEMPLATES_HELP, collect)
    .addOption(new Option('--format <format>', 'diagnostics format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ slo build\n  $ slo build slos/checkout.yaml --target prometheus,grafana --out deploy/\n  $ slo build --target prometheus --prometheus-format rules')
    .action((paths: string[] = [], o: { out: string; target?: string; prometheusFormat?: string; grafanaUrl?: string; option?: string[]; templates?: string[]; format: 'text' | 'json' }) =>
      run(async () =>
        (await import('./commands/build.js')).buildCommand(
          {
            paths,
            out: o.out,
            format: o.format,
            options: o.option ?? [],
            templates: o.templates ?? [],
            ...(o.target ? { target: o.target } : {}),
            ...(o.prometheusFormat ? { prometheusFormat: o.prometheusFormat } : {}),
            ...(o.grafanaUrl ? { grafanaUrl: o.grafanaUrl } : {}),
          },
          view,
        ),
      )(),
    );

  cmd
    .command('init')
    .description('Write a commented starter spec for a new service.')
    .argument('<name>', 'service name (DNS label)')
    .option('--team <team>', 'owning team', 'my-team')
    .option('--dir <dir>', 'directory to write into', pathFlag('slos (or . for the current folder)'), 'slos')
    .option('--force', 'overwrite an existing file', false)
    .addHelpText('after', '\nExamples:\n  $ slo init checkout --team payments\n  $ slo init search --dir services/search/slos')
    .action((name: string, o: { team: string; dir: string; force: boolean }) =>
      run(async () => (await import('./commands/init.js')).initCommand({ name, team: o.team, dir: o.dir, force: o.force }, view))(),
    );

  cmd
    .command('import')
    .description('Convert OpenSLO v1 or Sloth prometheus/v1 specs into slo/v1 files.')
    .argument('<files...>', 'OpenSLO or Sloth spec files or directories')
    .option('-o, --out <dir>', 'directory to write the converted specs into (default: print to stdout)', pathFlag('slos (or . for the current folder)'))
    .option('--force', 'overwrite existing files in the --out directory', false)
    .addHelpText('after', '\nExamples:\n  $ slo import openslo/ --out slos/\n  $ slo import sloth/checkout.yaml')
    .action((files: string[], o: { out?: string; force: boolean }) =>
      run(async () => (await import('./commands/import.js')).importCommand({ files, force: o.force, ...(o.out ? { out: o.out } : {}) }, view))(),
    );

  cmd
    .command('test')
    .description('Prove the Prometheus output: promtool check rules, then generated promtool unit tests that drive each SLO at chosen burn rates.')
    .argument('[paths...]', SPEC_PATHS_HELP)
    .option('--keep <dir>', 'keep the generated rules and unit tests in this directory', pathFlag('promtool-tests'))
    .option('--promtool <path>', 'promtool binary', 'promtool')
    .option('--templates <dir>', TEMPLATES_HELP, collect)
    .addHelpText('after', '\nExamples:\n  $ slo test\n  $ slo test slos/checkout.yaml --keep promtool-tests/')
    .action((paths: string[] = [], o: { keep?: string; promtool: string; templates?: string[] }) =>
      run(async () =>
        (await import('./commands/test.js')).testCommand({ paths, promtool: o.promtool, templates: o.templates ?? [], ...(o.keep ? { keep: o.keep } : {}) }, view),
      )(),
    );

  registerPlanApply(cmd, view, run);
  registerReport(cmd, view, run);
  return cmd;
}

export async function main(argv: readonly string[], view = new View()): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await program(view, (c) => (code = c))
      .exitOverride()
      .parseAsync([...argv], { from: 'user' });
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      // --help, `slo help` and --version exit 0. `slo` alone prints the help to stderr with exit code 1:
      // a missing command is a usage error. Usage errors were already printed by commander.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      if (err.code === 'commander.help') return err.exitCode === 0 ? EXIT.ok : EXIT.error;
      return EXIT.error;
    }
    if (e instanceof ExitError) return e.exitCode;
    const internal = e instanceof InternalError ? e : new InternalError(String((e as Error)?.message ?? e), { cause: e });
    view.err(`internal error: ${internal.message}\nThis is a bug in slo; please report it with the command you ran.`);
    if (process.env['SLO_DEBUG']) view.err(String((e as Error)?.stack ?? ''));
    return EXIT.internal;
  }
  return code;
}

// Run when executed as the bin (through npm's symlink too), not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  snapshotEnvironment();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
