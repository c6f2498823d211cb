/**
 * `slo apply`: either a fresh plan from specs (same flags as plan) or exactly a saved plan
 * (`slo apply plan.json`), shown, confirmed, then executed through the providers. Confirmation: asks on
 * a terminal; without one it refuses unless --auto-approve. A saved plan is refused if the config now
 * points at other endpoints or the remote objects changed since it was made.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { error, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { secretsFromEnv } from '../../config/config.js';
import { applyChanges } from '../../plan/apply.js';
import { byBackendAndAction, listOwned, listPending, staleness } from '../../plan/make-plan.js';
import { looksLikePlan, parsePlan } from '../../plan/plan-file.js';
import { hasChanges, type Plan } from '../../plan/types.js';
import type { Provider } from '../../providers/provider.js';
import { findProviderFactory } from '../../providers/registry.js';
import { ApplyProgress, showApplyResult } from '../../views/apply.js';
import { renderPlanText } from '../../views/plan.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';
import { engineSettings, preparePlan, type EngineArgs, type EngineSettings } from './plan.js';

export interface ApplyArgs extends EngineArgs {
  readonly autoApprove: boolean;
}

/** How the command talks to the person at the terminal; tests replace it. */
export interface ApplyIo {
  readonly interactive: boolean;
  confirm(question: string): Promise<boolean>;
}

export async function applyCommand(args: ApplyArgs, view: View, io: ApplyIo = terminalIo(view)): Promise<number> {
  const saved = await savedPlan(args.paths);
  if (saved !== undefined && 'error' in saved) {
    renderDiagnostics(view, [saved.error]);
    return EXIT.error;
  }
  const ready = saved !== undefined ? await loadSavedPlan(saved.file, saved.text, args, view) : await preparePlan(args, view);
  if (!ready) return EXIT.error;
  const { plan, providers, engine } = ready;

  view.out(renderPlanText(plan));
  if (!hasChanges(plan)) return EXIT.ok;

  if (!args.autoApprove) {
    if (!io.interactive) {
      renderDiagnostics(view, [error('approval-required', 'slo apply needs confirmation and there is no terminal to ask on; review the plan and pass --auto-approve')]);
      return EXIT.error;
    }
    if (!(await io.confirm('Apply these changes? Only "yes" is accepted: '))) {
      view.err('Apply cancelled; nothing was changed.');
      return EXIT.error;
    }
  }
  return execute(plan, providers, engine, view);
}

async function execute(plan: Plan, providers: ReadonlyMap<string, Provider>, engine: EngineSettings, view: View): Promise<number> {
  const attempted = plan.changes.filter((c) => c.action !== 'no-op').length;
  const progress = new ApplyProgress(view, attempted);
  const abort = new AbortController();
  const onSignal = () => {
    abort.abort();
    view.err('\nInterrupted: finishing the changes in flight, starting no new ones. Press Ctrl-C again to exit at once.');
  };
  process.once('SIGINT', onSignal);
  try {
    const result = await applyChanges(plan.changes, providers, { concurrency: engine.concurrency, recorder: progress, signal: abort.signal });
    progress.end();
    showApplyResult(view, result.counts, result.failures);
    return result.counts.failed > 0 ? EXIT.error : EXIT.ok;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

/**
 * `slo apply plan.json`: a saved plan, told from spec paths by its content, whatever its name (a spec
 * may be JSON too, and is then planned afresh). Once a path is a plan, every problem with it is said as
 * a problem with a plan file, never as spec errors about JSON.
 */
async function savedPlan(paths: readonly string[]): Promise<{ file: string; text: string } | { error: Diagnostic } | undefined> {
  const plans = paths.filter(isPlanPath);
  const file = plans[0];
  if (file === undefined) return undefined;
  if (paths.length > 1) {
    return { error: error('plan-with-paths', `a saved plan cannot be combined with spec paths: run slo apply ${file} alone, or slo apply with the spec paths to plan afresh`) };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : `it cannot be read (${code ?? String(e)})`;
    return { error: error('plan-invalid', `${file} is not a valid plan file: ${why}`) };
  }
  if (!looksLikePlan(text)) return { error: error('plan-invalid', `${file} is not a valid plan file: ${notAPlan(text)}; save one with slo plan --out ${file}`) };
  return { file, text };
}

/**
 * Whether `p` is a saved plan: a JSON object with "version" and "changes", or the start of one as slo
 * plan writes it (a plan cut short is no longer JSON). A file of any name, so `slo apply checkout.json`
 * (a JSON spec) plans the spec; a YAML name is taken for a spec without reading it.
 */
function isPlanPath(p: string): boolean {
  const ext = path.extname(p).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return false;
  try {
    if (!statSync(p).isFile()) return false;
    const text = readFileSync(p, 'utf8');
    return looksLikePlan(text) || /^\s*\{\s*"version"\s*:/.test(text);
  } catch {
    return false; // not there: the spec loader says so
  }
}

function notAPlan(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return `it is not complete JSON (${(e as Error).message})`;
  }
  return 'it is JSON, but not a plan written by slo plan --out (no "version" and "changes")';
}

async function loadSavedPlan(file: string, text: string, args: ApplyArgs, view: View): Promise<{ plan: Plan; providers: Map<string, Provider>; engine: EngineSettings } | undefined> {
  const diagnostics: Diagnostic[] = [];
  const fail = () => {
    renderDiagnostics(view, diagnostics);
    return undefined;
  };
  if (args.target !== undefined || args.prune || args.allowMassDelete) {
    diagnostics.push(error('flag-with-saved-plan', '--target, --prune and --allow-mass-delete shape a plan; a saved plan already has them. Run slo plan again to change them'));
    return fail();
  }
  const parsed = parsePlan(file, text);
  diagnostics.push(...parsed.diagnostics);
  const plan = parsed.value;
  if (!plan) return fail();
  const engine = await engineSettings(args, view);
  if (!engine) return undefined;

  const providers = new Map<string, Provider>();
  const secrets = secretsFromEnv(view.streams.env);
  for (const ref of plan.providers) {
    const factory = findProviderFactory(ref.backend);
    const configured = factory?.configure(engine.config, secrets, engine.settings);
    diagnostics.push(...(configured?.diagnostics ?? []));
    const provider = configured?.provider;
    if (!provider) diagnostics.push(error('plan-provider-missing', `the plan writes to ${ref.backend} (${ref.endpoint}), which the config no longer sets up`));
    else if (provider.endpoint !== ref.endpoint) {
      diagnostics.push(error('plan-endpoint-changed', `the plan was made for ${ref.backend} at ${ref.endpoint}, but the config now points at ${provider.endpoint}; run slo plan again`));
    } else providers.set(ref.backend, provider);
  }
  if (hasErrors(diagnostics)) return fail();

  // Left-over provider steps (a reload an earlier apply could not do) are asked for now, not taken from
  // the file: they may have been settled, or appeared, since the plan was saved. A plan with no changes
  // still owes them, and shows them, as a fresh plan does. Read alongside the listing, as slo plan does.
  const [listed, owed] = await Promise.all([listOwned(providers), listPending(providers)]);
  diagnostics.push(...listed.diagnostics);
  if (hasErrors(diagnostics)) return fail();
  diagnostics.push(...staleness(plan, listed.actual));
  if (hasErrors(diagnostics)) return fail();
  diagnostics.push(...owed.diagnostics);
  if (hasErrors(diagnostics)) return fail();
  const { pending: _saved, ...rest } = plan;
  const pending = owed.pending.sort(byBackendAndAction);
  return { plan: { ...rest, ...(pending.length > 0 ? { pending } : {}) }, providers, engine };
}

function terminalIo(view: View): ApplyIo {
  return {
    interactive: Boolean(process.stdin.isTTY) && !view.isCI,
    async confirm(question: string): Promise<boolean> {
      view.err(question);
      const rl = createInterface({ input: process.stdin });
      try {
        return (await rl.question('')).trim() === 'yes';
      } finally {
        rl.close();
      }
    },
  };
}
