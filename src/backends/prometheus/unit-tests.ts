/**
 * `promtool test rules` files that prove each SLO's rules alert when they should and only then.
 *
 * For every SLO with a Prometheus source and alerts, the generator writes the SLO's own rule groups
 * (`<slo>.rules.yaml`) and a test file (`<slo>.test.yaml`) whose input series are raw series matching
 * the SLI's selectors (synthetic-series.ts), driven through scenarios whose burn rates and evaluation
 * times are derived from the SLO's windows and factors (unit-test/timing.ts):
 *
 * - no errors: nothing fires and the error ratio is 0, also when no error series exists at all;
 * - no traffic: nothing fires and the error ratio is NaN (0/0);
 * - burning at half the lowest factor: nothing fires;
 * - for each severity but the top one, burning between its lowest factor and the next severity's:
 *   it and the lower severities fire, the higher ones never (from the first sample, so that every
 *   window sees exactly that error ratio);
 * - after a healthy history as long as the top severity's longest window, burning above every factor:
 *   every severity fires by its computed time and not before 80% of it (the workbook's "page within
 *   the hour at 14.4x", derived for the SLO's own windows);
 * - after the errors stop, the top severity resolves within its short window;
 * - with `minEvents`, a quiet service burning fast never alerts.
 *
 * Pure: returns files; promtool.ts runs them.
 */
import { toYaml } from '../../build/serialize.js';
import { LABELS, sloSlug } from '../../model/conventions.js';
import { Duration } from '../../model/duration.js';
import { cleanNumber, formatNumber } from '../../model/objective.js';
import { escapePromString } from '../../model/query.js';
import type { AlertPolicy, Model, Slo } from '../../model/types.js';
import type { BackendOptions, OutputFile } from '../backend.js';
import { prometheusSlos } from './compile.js';
import { sloRuleGroups } from './groups.js';
import { BURN_RATE_ALERT, errorRatioRecord } from './names.js';
import { readOptions } from './options.js';
import { baseWindow, recordedWindows } from './recording-rules.js';
import type { PreparedSli } from './sli-expr.js';
import { perStep, synthesizeSeries, type Phase, type SeriesPlan, type SyntheticSeries } from './unit-test/synthetic-series.js';
import { chooseStep, firingBySteps, highestFactor, lowestFactor, policyDetectionSeconds, quietUntilSteps } from './unit-test/timing.js';

export interface UnitTest {
  readonly sloId: string;
  readonly testFile: string;
  readonly rulesFile: string;
  readonly scenarios: readonly string[];
}

export interface SkippedUnitTest {
  readonly sloId: string;
  readonly reason: string;
}

export interface UnitTestSuite {
  /** Rule and test files, paths relative to one folder. */
  readonly files: readonly OutputFile[];
  readonly tests: readonly UnitTest[];
  readonly skipped: readonly SkippedUnitTest[];
}

export function generateUnitTests(model: Model, options: BackendOptions = {}): UnitTestSuite {
  const { value: opts } = readOptions(options);
  const files: OutputFile[] = [];
  const tests: UnitTest[] = [];
  const skipped: SkippedUnitTest[] = [];
  for (const service of model.services) {
    for (const { slo, sli } of prometheusSlos(service).slos) {
      const result = sloUnitTest(slo, sli);
      if ('skip' in result) {
        skipped.push({ sloId: slo.id, reason: result.skip });
        continue;
      }
      const slug = sloSlug(slo.service, slo.name);
      const rulesFile = `${slug}.rules.yaml`;
      const testFile = `${slug}.test.yaml`;
      files.push({ path: rulesFile, content: toYaml({ groups: sloRuleGroups(service, slo, sli, opts) }) });
      files.push({ path: testFile, content: toYaml(testDocument(rulesFile, result)) });
      tests.push({ sloId: slo.id, testFile, rulesFile, scenarios: result.scenarios.map((s) => s.name) });
    }
  }
  return { files, tests, skipped };
}

interface PhaseSpan {
  readonly steps: number;
  readonly phase: Phase;
}

type Assertion =
  | { readonly kind: 'firing' | 'not-firing' | 'absent'; readonly policy: AlertPolicy; readonly step: number }
  | { readonly kind: 'never'; readonly policy?: AlertPolicy; readonly step: number }
  | { readonly kind: 'ratio-zero' | 'ratio-nan'; readonly step: number };

interface Scenario {
  readonly name: string;
  readonly spans: readonly PhaseSpan[];
  readonly omitBad: boolean;
  readonly assertions: readonly Assertion[];
}

interface SloTest {
  readonly slo: Slo;
  readonly step: Duration;
  readonly plan: SeriesPlan;
  readonly scenarios: readonly Scenario[];
}

/**
 * Healthy history before a burn starts, in steps: long enough to fill the top severity's windows, as
 * in production, but at most 6h of 1m steps. promtool evaluates every rule at every step, and the
 * timing formulas are exact for partial history anyway.
 */
const MAX_HISTORY_STEPS = 360;

/** The scenarios of one SLO, or why it has none. */
export function sloUnitTest(slo: Slo, sli: PreparedSli): SloTest | { skip: string } {
  if (slo.alerts.length === 0) return { skip: 'alerting is off' };
  if (new Set(slo.alerts.map((a) => a.severity)).size < slo.alerts.length) return { skip: 'two alerts share a severity' };
  const plan = synthesizeSeries(sli);
  if ('skip' in plan) return { skip: `cannot synthesize input series: ${plan.skip}` };
  const budget = slo.objective.errorBudget;
  const levels = slo.alerts
    .filter((p) => lowestFactor(p, budget) !== undefined)
    .sort((a, b) => lowestFactor(a, budget)! - lowestFactor(b, budget)!);
  const top = levels[levels.length - 1];
  if (!top) return { skip: 'no alert window can fire (factor × error budget ≥ 1)' };

  const step = chooseStep(recordedWindows(slo)[0]!);
  const s = step.seconds;
  const ctx: Context = {
    slo,
    plan,
    budget,
    levels,
    top,
    s,
    at: (steps) => Duration.ofMs(steps * step.ms).toString(),
    history: Math.min(MAX_HISTORY_STEPS, Math.ceil(Math.max(...top.windows.map((w) => w.long.seconds)) / s)),
    // The quiet scenarios' length: the shortest window and two steps. They start at the first sample,
    // so from the second one on every window sees exactly their error ratio; longer runs prove nothing more.
    quiet: Math.ceil(recordedWindows(slo)[0]!.seconds / s) + 2,
    // minEvents must not hold back the scenarios that expect alerts, even one step into a burn that
    // starts at the first sample: every step carries twice minEvents.
    traffic: Math.max(100, 2 * Math.max(0, ...slo.alerts.map((p) => p.minEvents ?? 0))),
    topBurn: topBurnRate(top, budget),
  };

  const scenarios: Scenario[] = [noErrors(ctx), noTraffic(ctx), belowEveryFactor(ctx)];
  levels.forEach((level, i) => {
    const scenario = burnBetween(ctx, level, levels[i + 1]);
    if (scenario) scenarios.push(scenario);
  });
  scenarios.push(recovery(ctx));
  const guarded = minEventsGuard(ctx);
  if (guarded) scenarios.push(guarded);
  return { slo, step, plan, scenarios };
}

interface Context {
  readonly slo: Slo;
  readonly plan: SeriesPlan;
  readonly budget: number;
  /** Severities that can fire, by lowest factor ascending. */
  readonly levels: readonly AlertPolicy[];
  readonly top: AlertPolicy;
  /** Step in seconds. */
  readonly s: number;
  readonly at: (steps: number) => string;
  readonly history: number;
  readonly quiet: number;
  /** Events per step while there is traffic. */
  readonly traffic: number;
  /** Above every factor of the top severity, below an error ratio of 1. */
  readonly topBurn: number;
}

function topBurnRate(top: AlertPolicy, budget: number): number {
  const highest = highestFactor(top, budget)!;
  return cleanNumber(Math.min(1.5 * highest, (highest + 1 / budget) / 2));
}

const healthy = (ctx: Context): Phase => ({ traffic: ctx.traffic, badRatio: 0 });
const burning = (ctx: Context, burn: number, traffic = ctx.traffic): Phase => ({ traffic, badRatio: cleanNumber(burn * ctx.budget) });
const nothingFires = (step: number): Assertion => ({ kind: 'never', step });

function noErrors(ctx: Context): Scenario {
  return {
    name: 'no errors: nothing fires and the error ratio is 0',
    spans: [{ steps: ctx.quiet, phase: healthy(ctx) }],
    // Also without any error series: the rules' fallback must make the ratio 0, not missing.
    omitBad: ctx.plan.badSeriesOptional,
    assertions: [nothingFires(ctx.quiet), { kind: 'ratio-zero', step: ctx.quiet }],
  };
}

function noTraffic(ctx: Context): Scenario {
  const counters = ctx.plan.series.every((x) => x.kind === 'counter');
  return {
    name: `no traffic: nothing fires${counters ? ' and the error ratio is NaN' : ''}`,
    spans: [{ steps: ctx.quiet, phase: { traffic: 0, badRatio: 0 } }],
    omitBad: false,
    assertions: [nothingFires(ctx.quiet), ...(counters ? [{ kind: 'ratio-nan', step: ctx.quiet } as const] : [])],
  };
}

/** From the first sample on, so that every window sees exactly this ratio: still below every threshold. */
function belowEveryFactor(ctx: Context): Scenario {
  const burn = lowestFactor(ctx.levels[0]!, ctx.budget)! / 2;
  return {
    name: `burning at ${formatNumber(burn)}x, half the lowest factor: nothing fires`,
    spans: [{ steps: ctx.quiet, phase: burning(ctx, burn) }],
    omitBad: false,
    assertions: [nothingFires(ctx.quiet)],
  };
}

/**
 * After a healthy history, burning between this severity's lowest factor and the next one's (or above
 * every factor for the top severity): this severity and the lower ones fire by their computed time and
 * not before 80% of it; the higher severities never fire.
 */
function burnBetween(ctx: Context, level: AlertPolicy, next: AlertPolicy | undefined): Scenario | undefined {
  const { budget, s, at } = ctx;
  // The top severity gets a production-like history, so its timing is the one on-call would see. Below
  // it the burn starts at the first sample: every window then sees exactly the burn's error ratio from
  // the start, the strongest form of "the higher severities never fire" (and a short run for promtool).
  const history = next ? 0 : ctx.history;
  let burn = ctx.topBurn;
  if (next) {
    const low = lowestFactor(level, budget)!;
    const high = lowestFactor(next, budget)!;
    if (high <= low) return undefined;
    burn = cleanNumber((low + high) / 2);
  }
  const firing = ctx.levels.slice(0, ctx.levels.indexOf(level) + 1);
  const timings = firing.map((policy) => {
    const detection = policyDetectionSeconds(policy, burn, budget, history * s, s)!;
    return { policy, quietUntil: quietUntilSteps(detection, s), firingBy: firingBySteps(detection, policy, s) };
  });
  const duration = Math.max(ctx.quiet, ...timings.map((t) => t.firingBy));
  const silent = ctx.slo.alerts.filter((p) => !firing.includes(p));
  const fires = [...timings].reverse().map((t) => `${t.policy.name} fires within ${at(t.firingBy)}`);
  return {
    name: `burning at ${formatNumber(burn)}x: ${[...fires, ...(silent.length > 0 ? [`${silent.map((p) => p.name).join(' and ')} never`] : [])].join(', ')}`,
    spans: [...(history > 0 ? [{ steps: history, phase: healthy(ctx) }] : []), { steps: duration, phase: burning(ctx, burn) }],
    omitBad: false,
    assertions: [
      ...timings.flatMap((t): Assertion[] => [
        ...(t.quietUntil >= 1 ? [{ kind: 'not-firing', policy: t.policy, step: history + t.quietUntil } as const] : []),
        { kind: 'firing', policy: t.policy, step: history + t.firingBy },
      ]),
      ...silent.map((p): Assertion => ({ kind: 'never', policy: p, step: history + duration })),
    ],
  };
}

/** The top severity fires, the errors stop, and it resolves once its short windows hold no errors. */
function recovery(ctx: Context): Scenario {
  const { top, s, at } = ctx;
  const firingBy = firingBySteps(policyDetectionSeconds(top, ctx.topBurn, ctx.budget, 0, s)!, top, s);
  const clear = Math.ceil(Math.max(...top.windows.map((w) => w.short.seconds)) / s) + 2;
  return {
    name: `${top.name} clears within ${at(clear)} of the errors stopping`,
    spans: [
      { steps: firingBy, phase: burning(ctx, ctx.topBurn) },
      { steps: clear, phase: healthy(ctx) },
    ],
    omitBad: false,
    assertions: [
      { kind: 'firing', policy: top, step: firingBy },
      { kind: 'absent', policy: top, step: firingBy + clear },
    ],
  };
}

/** Burning fast from the first sample, with fewer than half of minEvents in the whole test. */
function minEventsGuard(ctx: Context): Scenario | undefined {
  const guarded = ctx.slo.alerts.filter((p) => p.minEvents !== undefined);
  if (guarded.length === 0 || !ctx.plan.countsEvents) return undefined;
  const fewest = Math.min(...guarded.map((p) => p.minEvents!));
  const forSteps = Math.max(0, ...guarded.map((p) => (p.for ? Math.ceil(p.for.seconds / ctx.s) : 0)));
  const steps = ctx.quiet + forSteps;
  return {
    name: `fewer than ${formatNumber(fewest)} events: ${guarded.map((p) => p.name).join(' and ')} never fire at ${formatNumber(ctx.topBurn)}x`,
    spans: [{ steps, phase: burning(ctx, ctx.topBurn, fewest / (2 * steps)) }],
    omitBad: false,
    assertions: guarded.map((p): Assertion => ({ kind: 'never', policy: p, step: steps })),
  };
}

function testDocument(rulesFile: string, test: SloTest): unknown {
  const { slo, step, plan } = test;
  const at = (steps: number) => Duration.ofMs(steps * step.ms).toString();
  return {
    rule_files: [rulesFile],
    evaluation_interval: step.toString(),
    tests: test.scenarios.map((sc) => ({
      name: sc.name,
      interval: step.toString(),
      input_series: plan.series
        .filter((x) => !(sc.omitBad && x.role === 'bad'))
        .map((x) => ({ series: seriesText(x), values: valuesText(x, sc.spans) })),
      promql_expr_test: sc.assertions.map((a) => ({ ...assertionQuery(slo, a, at(a.step)), eval_time: at(a.step) })),
    })),
  };
}

/** The PromQL assertion; `until` is the evaluation time, the range of "never" assertions. */
function assertionQuery(slo: Slo, a: Assertion, until: string): { expr: string; exp_samples: Array<{ labels: string; value: number }> } {
  const id = `${LABELS.sloId}="${escapePromString(slo.id)}"`;
  const name = `alertname="${BURN_RATE_ALERT}"`;
  const severity = (p: AlertPolicy) => `${LABELS.severity}="${escapePromString(p.severity)}"`;
  const one = [{ labels: '{}', value: 1 }];
  const ratio = `${errorRatioRecord(baseWindow(slo))}{${id}}`;
  switch (a.kind) {
    case 'firing':
      return { expr: `count(ALERTS{${name},${id},${severity(a.policy)},alertstate="firing"})`, exp_samples: one };
    case 'not-firing':
      return { expr: `count(ALERTS{${name},${id},${severity(a.policy)},alertstate="firing"})`, exp_samples: [] };
    case 'absent':
      return { expr: `count(ALERTS{${name},${id},${severity(a.policy)}})`, exp_samples: [] };
    case 'never': {
      // absent_over_time returns the equality matchers as labels: 1 means no sample in the whole range.
      const matchers = [name, ...(a.policy ? [severity(a.policy)] : []), id];
      return { expr: `absent_over_time(ALERTS{${matchers.join(',')}}[${until}])`, exp_samples: [{ labels: `{${matchers.join(',')}}`, value: 1 }] };
    }
    case 'ratio-zero':
      return { expr: `count(${ratio} == 0)`, exp_samples: one };
    case 'ratio-nan':
      return { expr: `count(${ratio} != ${ratio})`, exp_samples: one };
  }
}

function seriesText(series: SyntheticSeries): string {
  const { __name__: name, ...rest } = series.labels;
  const labels = Object.entries(rest).map(([k, v]) => `${k}="${escapePromString(v)}"`);
  return `${name ?? ''}{${labels.join(',')}}`;
}

/**
 * Expanding notation, one segment per phase. A counter goes up by its per-step increase and continues
 * from where the previous phase left it; a gauge holds its value, `_` when not scraped.
 */
function valuesText(series: SyntheticSeries, spans: readonly PhaseSpan[]): string {
  const parts: string[] = [];
  let last = 0;
  spans.forEach((span, i) => {
    // The first segment also writes the sample at time 0.
    const repeat = i === 0 ? span.steps : span.steps - 1;
    const v = perStep(series.role, span.phase);
    if (series.kind === 'counter') {
      const inc = v ?? 0;
      const start = i === 0 ? 0 : last + inc;
      parts.push(`${formatNumber(start)}+${formatNumber(inc)}x${repeat}`);
      last = start + inc * repeat;
    } else parts.push(v === undefined ? `_x${repeat}` : `${formatNumber(v)}x${repeat}`);
  });
  return parts.join(' ');
}
