/**
 * The `plan` and `apply` subcommands, registered on the program by src/cli/main.ts. Flags are parsed
 * into typed args here; the command modules are imported only when the command runs.
 */
import { Option, type Command } from 'commander';
import type { View } from '../views/view.js';
import { collect, pathFlag, TEMPLATES_HELP } from './shared-flags.js';
import type { EngineArgs } from './commands/plan.js';


interface EngineFlags {
  target?: string;
  config?: string;
  prune?: boolean;
  allowMassDelete?: boolean;
  concurrency?: string;
  timeout?: string;
  templates?: string[];
  option?: string[];
}

function engineOptions(c: Command): Command {
  return c
    .argument('[paths...]', 'spec files or directories (default: specs in slo.config.yaml, else slos/)')
    .option('--target <targets>', 'comma-separated targets (default: every target with work and a provider in slo.config.yaml)')
    .option('--config <file>', 'config file (default: ./slo.config.yaml)')
    .option('--prune', 'delete objects slo owns that no spec declares any more')
    .option('--allow-mass-delete', 'allow a plan that deletes more than the configured share (default 20%) of the objects slo owns')
    .option('--concurrency <n>', 'changes applied at once (default 4, or apply.concurrency)')
    .option('--timeout <duration>', 'per-request timeout (default 30s, or apply.timeout)')
    .option('--templates <dir>', TEMPLATES_HELP, collect)
    .option('--option <key=value>', 'backend option (repeatable)', collect);
}

function engineArgs(paths: string[], o: EngineFlags): EngineArgs {
  return {
    paths,
    prune: o.prune === true,
    allowMassDelete: o.allowMassDelete === true,
    templates: o.templates ?? [],
    options: o.option ?? [],
    ...(o.target !== undefined ? { target: o.target } : {}),
    ...(o.config !== undefined ? { config: o.config } : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
  };
}

export function registerPlanApply(cmd: Command, view: View, run: (fn: () => Promise<number>) => () => Promise<void>): void {
  engineOptions(
    cmd
      .command('plan')
      .description('Show what apply would change in the backends: compile the specs, list what slo owns remotely, diff. Changes nothing.'),
  )
    .option('-o, --out <file>', 'also save the plan as JSON, for `slo apply <file>`', pathFlag('plan.json'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--detailed-exitcode', 'exit 2 when the plan has changes, 0 when it has none, 1 on error')
    .addHelpText(
      'after',
      `
Examples:
  $ slo plan                                   # every configured target, specs under slos/
  $ slo plan --target prometheus --out plan.json
  $ slo plan --format markdown > plan.md       # a pull-request comment
  $ slo plan --detailed-exitcode || [ $? -eq 2 ]   # CI: fail only on errors
  $ slo plan --prune                           # also delete what no spec declares`,
    )
    .action((paths: string[] = [], o: EngineFlags & { out?: string; format: 'text' | 'markdown' | 'json'; detailedExitcode?: boolean }) =>
      run(async () =>
        (await import('./commands/plan.js')).planCommand(
          { ...engineArgs(paths, o), format: o.format, detailedExitcode: o.detailedExitcode === true, ...(o.out !== undefined ? { out: o.out } : {}) },
          view,
        ),
      )(),
    );

  engineOptions(
    cmd
      .command('apply')
      .description('Make the backends match the specs (or run exactly a saved plan). Asks for confirmation on a terminal.'),
  )
    .option('--auto-approve', 'apply without asking (required when there is no terminal, as in CI)')
    .addHelpText(
      'after',
      `
Examples:
  $ slo apply                                  # plan, show, ask, apply
  $ slo plan --out plan.json && slo apply plan.json --auto-approve
  $ slo apply --target prometheus --auto-approve --concurrency 8
  $ slo apply --prune                          # also delete what no spec declares`,
    )
    .action((paths: string[] = [], o: EngineFlags & { autoApprove?: boolean }) =>
      run(async () => (await import('./commands/apply.js')).applyCommand({ ...engineArgs(paths, o), autoApprove: o.autoApprove === true }, view))(),
    );
}
