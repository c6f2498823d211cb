/**
 * `slo plan`: flags → config, specs, compile, providers → makePlan → views.plan. Also the front half of
 * `slo apply` (preparePlan). Diagnostics always go to stderr as text, so stdout holds only the plan in
 * the format asked for.
 */
import type { Backend, Resource } from '../../backends/backend.js';
import { backends } from '../../backends/registry.js';
import { checkTargets, compileAll } from '../../build/compile-all.js';
import { outputPathProblem, writeFileAtomic } from '../../build/write-output.js';
import { loadConfig, secretsFromEnv, type Config } from '../../config/config.js';
import { error, hasErrors, sourceless, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { Duration } from '../../model/duration.js';
import { makePlan } from '../../plan/make-plan.js';
import { serializePlan } from '../../plan/plan-file.js';
import { hasChanges, type Plan } from '../../plan/types.js';
import type { Provider, ProviderSettings } from '../../providers/provider.js';
import { findProviderFactory } from '../../providers/registry.js';
import { showPlan, type PlanFormat } from '../../views/plan.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';
import { loadSpecs } from '../load-specs.js';
import { allTargets, backendOptions, selectTargets, specPaths } from '../options.js';

/** Flags shared by plan and apply. */
export interface EngineArgs {
  readonly paths: readonly string[];
  readonly target?: string;
  readonly config?: string;
  readonly prune: boolean;
  readonly allowMassDelete: boolean;
  readonly concurrency?: string;
  readonly timeout?: string;
  /** `--templates` as given; none: ./sli-templates if present. */
  readonly templates: readonly string[];
  readonly options: readonly string[];
}

export interface PlanArgs extends EngineArgs {
  readonly out?: string;
  readonly format: PlanFormat;
  readonly detailedExitcode: boolean;
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT = '30s';
const OUT_HINT = 'choose another --out file';

export async function planCommand(args: PlanArgs, view: View): Promise<number> {
  // A path that cannot take the plan is found before the remote state is read, not after.
  const outProblem = args.out !== undefined ? outputPathProblem(args.out, 'file', OUT_HINT) : undefined;
  if (outProblem) {
    renderDiagnostics(view, [outProblem], 'text');
    return EXIT.error;
  }
  const prepared = await preparePlan(args, view);
  if (!prepared) return EXIT.error;
  showPlan(view, prepared.plan, args.format);
  if (args.out !== undefined) {
    // Written through a temporary file and a rename: a crash never leaves half a plan.
    const failed = await writeFileAtomic(args.out, serializePlan(prepared.plan), OUT_HINT);
    if (failed) {
      renderDiagnostics(view, [failed], 'text');
      return EXIT.error;
    }
    view.err(`Saved the plan to ${args.out}. Apply exactly this plan with: slo apply ${args.out}`);
  }
  return args.detailedExitcode && hasChanges(prepared.plan) ? EXIT.changes : EXIT.ok;
}

export interface PreparedPlan {
  readonly plan: Plan;
  readonly providers: ReadonlyMap<string, Provider>;
  readonly engine: EngineSettings;
}

export interface EngineSettings {
  readonly config: Config;
  readonly concurrency: number;
  readonly settings: ProviderSettings;
}

/** Everything up to a Plan. Prints the diagnostics; undefined if there were errors. */
export async function preparePlan(args: EngineArgs, view: View): Promise<PreparedPlan | undefined> {
  const engine = await engineSettings(args, view);
  if (!engine) return undefined;
  const diagnostics: Diagnostic[] = [];
  const paths = args.paths.length > 0 ? specPaths(args.paths) : [...(engine.config.specs ?? specPaths([]))];
  const loaded = await loadSpecs(paths, args.templates);
  diagnostics.push(...loaded.diagnostics);
  if (!loaded.model) return report(view, diagnostics);

  const selected = selectTargets(args.target, loaded.model);
  const opts = backendOptions(args.options, { 'grafana-url': engine.config.grafana?.url });
  diagnostics.push(...selected.diagnostics, ...opts.diagnostics);
  if (hasErrors(diagnostics)) return report(view, diagnostics);
  // Only targets with a provider are checked and compiled: the others are not applied here.
  const idle = allTargets(args.target) ? idleProviders(selected.targets, engine, view.streams.env) : { providers: new Map<string, Provider>(), diagnostics: [] };
  const chosen = configureProviders(
    selected.targets.map((t) => t.name),
    !allTargets(args.target),
    engine,
    view.streams.env,
    idle.providers,
  );
  diagnostics.push(...idle.diagnostics, ...chosen.diagnostics);
  if (hasErrors(diagnostics)) return report(view, diagnostics);
  const targets = backends.filter((t) => chosen.providers.has(t.name));
  diagnostics.push(...checkTargets(loaded.model, targets, opts.options));
  if (hasErrors(diagnostics)) return report(view, diagnostics);
  const output = compileAll(loaded.model, targets, opts.options);
  diagnostics.push(...output.diagnostics);
  if (hasErrors(diagnostics)) return report(view, diagnostics);

  // A target may compile kinds its provider cannot sync yet (Kibana SLOs in the elastic target): those
  // are left out with one warning per kind instead of failing the plan.
  const managed = (r: Resource) => chosen.providers.get(r.backend)?.kinds.includes(r.kind) ?? false;
  const desired: Resource[] = output.resources.filter(managed);
  const unmanaged = [...new Set(output.resources.filter((r) => chosen.providers.has(r.backend) && !managed(r)).map((r) => `${r.backend}/${r.kind}`))].sort();
  for (const kind of unmanaged) diagnostics.push(warning('kind-not-synced', `plan/apply does not sync ${kind} objects yet; they are built by \`slo build\` but left out of the plan`));
  const made = await makePlan(desired, chosen.providers, {
    prune: args.prune,
    allowMassDelete: args.allowMassDelete,
    ...(engine.config.apply?.massDeleteShare !== undefined ? { massDeleteShare: engine.config.apply.massDeleteShare } : {}),
  });
  diagnostics.push(...made.diagnostics);
  if (!made.plan || hasErrors(diagnostics)) return report(view, diagnostics);
  renderDiagnostics(view, diagnostics, 'text');
  return { plan: made.plan, providers: chosen.providers, engine };
}

/** Config file, --concurrency and --timeout, checked. */
export async function engineSettings(args: Pick<EngineArgs, 'config' | 'concurrency' | 'timeout'>, view: View): Promise<EngineSettings | undefined> {
  const loaded = await loadConfig(args.config);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const config = loaded.value;
  const timeoutText = args.timeout ?? config.apply?.timeout ?? DEFAULT_TIMEOUT;
  const timeout = Duration.parse(timeoutText);
  if (!timeout) diagnostics.push(sourceless('bad-flag', `--timeout takes a duration such as 30s or 2m, got "${timeoutText}"`));
  const concurrency = args.concurrency !== undefined ? Number(args.concurrency) : (config.apply?.concurrency ?? DEFAULT_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    diagnostics.push(sourceless('bad-flag', `--concurrency takes a whole number from 1 to 64, got "${args.concurrency}"`));
  }
  if (hasErrors(diagnostics) || !timeout) return report(view, diagnostics);
  return { config, concurrency, settings: { timeoutMs: timeout.ms } };
}

/**
 * Providers of the targets that have nothing to compile any more but are set up in slo.config.yaml (the
 * last Datadog SLO was removed): planned with nothing desired, so what slo owns there shows as orphans
 * and `--prune` deletes it, as it would for one removed SLO. One that cannot be set up (a secret
 * missing) is skipped with a warning rather than failing a plan that has no work there.
 */
function idleProviders(busy: readonly Backend[], engine: EngineSettings, env: NodeJS.ProcessEnv): { providers: Map<string, Provider>; diagnostics: Diagnostic[] } {
  const providers = new Map<string, Provider>();
  const diagnostics: Diagnostic[] = [];
  const secrets = secretsFromEnv(env);
  for (const backend of backends.filter((b) => !busy.includes(b))) {
    const configured = findProviderFactory(backend.name)?.configure(engine.config, secrets, engine.settings);
    if (configured?.provider) providers.set(backend.name, configured.provider);
    else if (configured && configured.diagnostics.length > 0) {
      const why = configured.diagnostics.map((d) => d.summary).join('; ');
      diagnostics.push(warning('idle-target-skipped', `${backend.name} has no SLOs any more but is set up in slo.config.yaml; it is not planned, so what slo owns there is not checked for pruning: ${why}`));
    }
  }
  return { providers, diagnostics };
}

/**
 * Providers of the selected targets. A target named with --target must be configured; one picked by
 * default (it has work) but not configured is skipped with a warning, so `slo plan` works in a repo
 * that only applies some targets.
 */
export function configureProviders(
  targets: readonly string[],
  explicit: boolean,
  engine: EngineSettings,
  env: NodeJS.ProcessEnv,
  /** Providers already set up for targets without work (idleProviders). */
  idle: ReadonlyMap<string, Provider> = new Map(),
): { providers: Map<string, Provider>; diagnostics: Diagnostic[] } {
  const providers = new Map<string, Provider>(idle);
  const diagnostics: Diagnostic[] = [];
  const skipped: string[] = [];
  const secrets = secretsFromEnv(env);
  for (const name of targets) {
    const factory = findProviderFactory(name);
    if (!factory) {
      if (explicit) diagnostics.push(error('target-not-appliable', `slo plan/apply cannot write to ${name} yet; deploy the output of slo build for it`));
      else skipped.push(name);
      continue;
    }
    const configured = factory.configure(engine.config, secrets, engine.settings);
    diagnostics.push(...configured.diagnostics);
    if (configured.provider) providers.set(name, configured.provider);
    else if (configured.diagnostics.length === 0) {
      if (explicit) diagnostics.push(error('target-not-configured', `${name} is not configured: ${factory.missingConfigHint}`));
      else skipped.push(name);
    }
  }
  if (providers.size === 0 && !hasErrors(diagnostics)) {
    diagnostics.push(error('nothing-to-plan', 'no target has a provider configured in slo.config.yaml; see docs/plan-apply.md'));
  } else if (skipped.length > 0) {
    diagnostics.push(warning('targets-skipped', `plan/apply skips ${skipped.join(', ')}: no provider for ${skipped.length === 1 ? 'it' : 'them'} yet, or none configured in slo.config.yaml`));
  }
  return { providers, diagnostics };
}

function report(view: View, diagnostics: readonly Diagnostic[]): undefined {
  renderDiagnostics(view, diagnostics, 'text');
  return undefined;
}
