import { defaultBurnWindows } from '../../alerting/burn-rate.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { Duration, MAX_DURATION_DAYS } from '../../model/duration.js';
import { DEFAULT_SLO_WINDOW } from '../../model/from-spec.js';
import type { PathSegment } from '../../spec/source-map.js';
import type { Rule, RuleContext } from '../rule.js';
import { eachSlo, effectiveSli, enabledSeverities, MAX_SLO_WINDOW, MIN_SLO_WINDOW, type SloRef } from './spec-walk.js';


/**
 * Durations that parse but make no sense together. The schema checks the syntax of each duration;
 * here they are compared with each other.
 */
export const durations: Rule = {
  code: 'slo-window-range',
  description:
    'SLO window between 1d and 365d; alert windows with short < long (alert-window-order) and long <= SLO window (alert-window-exceeds-slo); `for` shorter than the short windows (alert-for-too-long, warning); no zero durations (zero-duration) and none too long to count in milliseconds (duration-out-of-range).',
  check(ctx) {
    for (const ref of eachSlo(ctx.documents)) {
      const window = sloWindow(ref, ctx);
      checkThreshold(ref, ctx);
      if (window) checkAlertWindows(ref, window, ctx);
    }
  },
};

/** The schema has checked the syntax; what is left to go wrong is the length: zero, or too long to count. */
function parseOrReport(ref: SloRef, text: string, path: readonly PathSegment[], what: string, ctx: RuleContext): Duration | undefined {
  const d = Duration.read(text);
  if (d instanceof Duration) return d;
  if (d === 'too-long') reportTooLong(ref, text, path, what, ctx);
  else ctx.report(error('zero-duration', `${what} must be longer than zero, not "${text}"`, ref.doc.locate(path)));
  return undefined;
}

/** Not "zero": the sum of its parts is past what a number holds to the millisecond. */
function reportTooLong(ref: SloRef, text: string, path: readonly PathSegment[], what: string, ctx: RuleContext): void {
  ctx.report(
    error('duration-out-of-range', `${what} "${text}" is too long: durations are limited to ${MAX_DURATION_DAYS}d (2^53 milliseconds, about 285,000 years)`, ref.doc.locate(path)),
  );
}

function sloWindow(ref: SloRef, ctx: RuleContext): Duration | undefined {
  const path = [...ref.path, 'window'];
  const window = parseOrReport(ref, ref.slo.window ?? DEFAULT_SLO_WINDOW, path, 'the SLO window', ctx);
  if (!window) return undefined;
  if (window.ms < MIN_SLO_WINDOW.ms) {
    ctx.report(
      error(
        'slo-window-range',
        `SLO window ${ref.slo.window} is shorter than 1d: the budget would be spent and renewed within hours, and the burn-rate alert windows (scaled from the 30d table) would shrink to a few minutes`,
        ref.doc.locate(path),
      ),
    );
    return undefined;
  }
  if (window.ms > MAX_SLO_WINDOW.ms) {
    ctx.report(
      error('slo-window-range', `SLO window ${ref.slo.window} is longer than 365d: no backend keeps that much history at alerting resolution, and a budget that old says nothing about today`, ref.doc.locate(path)),
    );
    return undefined;
  }
  return window;
}

function checkThreshold(ref: SloRef, ctx: RuleContext): void {
  const sli = effectiveSli(ref.slo.sli, ctx.templates);
  if (!sli?.latency) return;
  const path = ref.slo.sli.template === undefined ? [...ref.path, 'sli', 'latency', 'threshold'] : [...ref.path, 'sli', 'vars', 'threshold'];
  parseOrReport(ref, sli.latency.threshold, path, 'the latency threshold', ctx);
}

function checkAlertWindows(ref: SloRef, window: Duration, ctx: RuleContext): void {
  for (const sev of enabledSeverities(ref)) {
    const shorts: Duration[] = [];
    if (sev.spec.windows) {
      sev.spec.windows.forEach((w, i) => {
        const at = [...sev.path, 'windows', i];
        const long = parseOrReport(ref, w.long, [...at, 'long'], 'a long window', ctx);
        const short = parseOrReport(ref, w.short, [...at, 'short'], 'a short window', ctx);
        if (short) shorts.push(short);
        if (long && short && short.ms >= long.ms) {
          ctx.report(error('alert-window-order', `short window ${w.short} must be shorter than the long window ${w.long} (about a twelfth of it)`, ref.doc.locate([...at, 'short'])));
        }
        if (long && long.ms > window.ms) {
          ctx.report(error('alert-window-exceeds-slo', `long window ${w.long} is longer than the SLO window ${window.toString()}: it would average over data the SLO no longer counts`, ref.doc.locate([...at, 'long'])));
        }
      });
    } else {
      shorts.push(...defaultBurnWindows(sev.name, window).map((w) => w.short));
    }
    const forText = sev.spec.for;
    const forDuration = forText === undefined ? undefined : forOrReport(ref, forText, [...sev.path, 'for'], ctx);
    const shortest = shorts.reduce<Duration | undefined>((a, b) => (a === undefined || b.ms < a.ms ? b : a), undefined);
    if (forDuration && shortest && forDuration.ms >= shortest.ms) {
      ctx.report(
        warning(
          'alert-for-too-long',
          `for: ${forText} is not shorter than the ${sev.name} short window ${shortest.toString()}: the burn must outlast the window meant to reset the alert, which delays every ${sev.name} by ${forText}`,
          ref.doc.locate([...sev.path, 'for']),
        ),
      );
    }
  }
}

/**
 * `for`, which may be zero (`0s` fires at once); one too long would be dropped by the model as if it
 * were zero, so it is reported.
 */
function forOrReport(ref: SloRef, text: string, path: readonly PathSegment[], ctx: RuleContext): Duration | undefined {
  const d = Duration.read(text);
  if (d === 'too-long') reportTooLong(ref, text, path, 'the `for` duration', ctx);
  return d instanceof Duration ? d : undefined;
}
