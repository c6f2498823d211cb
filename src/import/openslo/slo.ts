/**
 * One OpenSLO SLO object → slo/v1 SLOs. An OpenSLO SLO may have several objectives (targets) over one
 * SLI; slo/v1 has one objective per SLO, so each objective becomes its own SLO, named
 * `<slo>-<objective displayName>` (or `<slo>-1`, `<slo>-2`… when the display names do not tell them
 * apart). A single objective keeps the SLO's name.
 */
import { cleanNumber } from '../../model/objective.js';
import { DEFAULT_SLO_WINDOW } from '../../model/from-spec.js';
import type { PathSegment } from '../../spec/source-map.js';
import type { SpecSli, SpecSlo } from '../../spec/types.js';
import type { Cursor } from '../cursor.js';
import { parseShorthand } from '../durations.js';
import { under, type Trace } from '../imported-document.js';
import { convertLabels, TEAM_LABEL } from '../labels.js';
import { convertName, toDnsLabel, withSuffix } from '../names.js';
import { warnUnknownKeys, type ImportReport } from '../report.js';
import { convertAlerting, type ConvertedAlerting } from './alerting.js';
import type { ObjectIndex, OpenSloObject } from './objects.js';
import { convertSli } from './sli.js';

const SLO_SPEC_KEYS = ['description', 'service', 'indicator', 'indicatorRef', 'budgetingMethod', 'timeWindow', 'objectives', 'alertPolicies'];
const OBJECTIVE_KEYS = ['displayName', 'op', 'value', 'target', 'targetPercent', 'timeSliceTarget', 'timeSliceWindow', 'indicator', 'indicatorRef', 'compositeWeight'];

export interface ConvertedSlo {
  readonly slos: readonly SpecSlo[];
  readonly routes: ConvertedAlerting['routes'];
}

/**
 * Converts `slo` into the SLOs at `slos[first]`, `slos[first+1]`… of the service document traced by `trace`.
 * Returns undefined (with errors reported) when the SLO cannot be converted.
 */
export function convertSlo(slo: OpenSloObject, index: ObjectIndex, trace: Trace, first: number, report: ImportReport): ConvertedSlo | undefined {
  const errorsBefore = report.errorCount;
  const spec = slo.cursor.get('spec');
  warnUnknownKeys(spec, SLO_SPEC_KEYS, 'OpenSLO SLO', 'openslo-unknown-key', report);
  const objectives = spec.get('objectives').items;
  if (objectives.length === 0) {
    report.error('openslo-missing-field', 'OpenSLO SLO needs objectives (at least one target)', spec.get('objectives').place);
    return undefined;
  }
  const paths: PathSegment[][] = objectives.map((_, i) => ['slos', first + i]);
  const all = under(trace, ...paths);
  all.from([], slo.cursor);

  checkBudgetingMethod(spec, report);
  const window = convertWindow(spec, all, report);
  const sliSpec = indicatorSpec(spec, objectives, index, report);
  const sli = sliSpec ? convertSli(sliSpec, index, under(all, ['sli']), report) : undefined;
  const alerting = convertAlerting(spec.get('alertPolicies'), index, under(all, ['alerting']), report);

  const baseName = convertName(slo.cursor.get('metadata', 'name'), 'OpenSLO SLO name', all, ['name'], report);
  const suffixes = objectiveSuffixes(objectives);
  const description = spec.get('description').string ?? slo.cursor.get('metadata', 'displayName').string;
  const descriptionAt = spec.get('description').string !== undefined ? spec.get('description') : slo.cursor.get('metadata', 'displayName');
  const labels = convertLabels(slo.cursor.get('metadata', 'labels'), under(all, ['labels']), report, new Set([TEAM_LABEL]));
  all.from(['labels'], slo.cursor.get('metadata', 'labels'));

  const out: SpecSlo[] = [];
  objectives.forEach((o, i) => {
    const at = under(trace, paths[i]!);
    warnUnknownKeys(o, OBJECTIVE_KEYS, 'OpenSLO objective', 'openslo-unknown-key', report);
    if (o.get('indicator').exists || o.get('indicatorRef').exists) return; // composite: reported by indicatorSpec
    const objective = objectivePercent(o, at, report);
    if (sli !== undefined && (o.get('op').exists || o.get('value').exists)) {
      report.warning('openslo-objective-op-ignored', 'op and value are ignored: they compare a threshold SLI, and a ratio SLI has none', (o.get('op').exists ? o.get('op') : o.get('value')).keyRange);
    }
    if (objective === undefined || baseName === undefined || sli === undefined || window === undefined) return;
    const suffix = suffixes[i];
    const name = suffix === undefined ? baseName : withSuffix(baseName, suffix);
    if (suffix !== undefined) {
      at.from(['name'], o.get('displayName').exists ? o.get('displayName') : o);
      at.note(['name'], `objective ${i + 1} of OpenSLO SLO "${slo.name}" (one slo/v1 SLO per objective)`);
    }
    const objectiveName = o.get('displayName').string;
    const sloDescription = description !== undefined && suffix !== undefined && objectiveName !== undefined ? `${description} (${objectiveName})` : (description ?? objectiveName);
    if (sloDescription !== undefined) at.from(['description'], description !== undefined ? descriptionAt : o.get('displayName'));
    out.push({
      name,
      ...(sloDescription !== undefined ? { description: sloDescription } : {}),
      objective,
      window,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      sli: structuredClone(sli) as SpecSli,
      ...(alerting ? { alerting: structuredClone(alerting.alerting) } : {}),
    });
  });
  if (report.errorCount > errorsBefore || out.length !== objectives.length || !alerting) return undefined;
  return { slos: out, routes: alerting.routes };
}

function checkBudgetingMethod(spec: Cursor, report: ImportReport): void {
  const method = spec.get('budgetingMethod');
  if (!method.exists || method.value === 'Occurrences') return;
  if (method.value === 'Timeslices' || method.value === 'RatioTimeslices') {
    report.error(
      'openslo-budgeting-method-unsupported',
      `budgetingMethod ${method.value} cannot be imported: slo budgets occurrences (good events over all events)`,
      method.range,
      'A time-slice SLO counts good minutes, not good events; converting it would change what its objective means. Use budgetingMethod: Occurrences if counting events is what you want.',
    );
    return;
  }
  report.error('openslo-invalid-value', `budgetingMethod must be Occurrences, Timeslices or RatioTimeslices, not ${JSON.stringify(method.value)}`, method.range);
}

/** The SLO window: the (only) timeWindow's duration. Calendar windows become rolling ones, with a warning. */
function convertWindow(spec: Cursor, trace: Trace, report: ImportReport): string | undefined {
  const windows = spec.get('timeWindow');
  const tw = windows.items[0];
  if (!tw) {
    trace.from(['window'], spec);
    report.warning('openslo-default-window', `OpenSLO SLO has no timeWindow; the ${DEFAULT_SLO_WINDOW} default window is used`, spec.keyRange);
    trace.note(['window'], 'The OpenSLO SLO has no timeWindow: slo default.');
    return DEFAULT_SLO_WINDOW;
  }
  if (windows.items.length > 1) {
    report.error('openslo-invalid-value', 'timeWindow holds exactly one window', windows.items[1]!.range);
    return undefined;
  }
  const durationC = tw.get('duration');
  const duration = durationC.string !== undefined ? parseShorthand(durationC.string) : undefined;
  if (!duration) {
    report.error('openslo-invalid-value', 'timeWindow needs duration, such as 28d or 1M', durationC.place);
    return undefined;
  }
  trace.from(['window'], durationC);
  if (tw.get('isRolling').value !== true) {
    report.warning(
      'openslo-calendar-window',
      `the calendar-aligned window of ${durationC.string} is imported as a rolling ${duration.toString()} window; slo windows are rolling`,
      (tw.get('isRolling').exists ? tw.get('isRolling') : tw).range,
      'Burn-rate alerts are the same for either; the budget shown on dashboards rolls instead of resetting at each calendar period.',
    );
    trace.note(['window'], `calendar window of ${durationC.string} in OpenSLO, rolling here`);
  } else if (duration.toString() !== durationC.string) {
    trace.note(['window'], `${durationC.string} in OpenSLO`);
  }
  return duration.toString();
}

/** The SLI spec: the inline `indicator.spec` or the referenced SLI object's `spec`. */
function indicatorSpec(spec: Cursor, objectives: readonly Cursor[], index: ObjectIndex, report: ImportReport): Cursor | undefined {
  const composite = objectives.find((o) => o.get('indicator').exists || o.get('indicatorRef').exists);
  if (composite) {
    report.error('openslo-composite-unsupported', 'composite SLOs (an indicator per objective) cannot be imported; slo SLOs have one SLI', (composite.get('indicator').exists ? composite.get('indicator') : composite.get('indicatorRef')).keyRange);
    return undefined;
  }
  const inline = spec.get('indicator');
  const ref = spec.get('indicatorRef');
  if (inline.exists && ref.exists) {
    report.error('openslo-invalid-value', 'give indicator or indicatorRef, not both', ref.keyRange);
    return undefined;
  }
  if (inline.exists) {
    if (!inline.get('spec').record) {
      report.error('openslo-missing-field', 'the inline indicator needs a spec', inline.keyRange);
      return undefined;
    }
    return inline.get('spec');
  }
  if (ref.string !== undefined) {
    const sli = index.get('SLI', ref.string);
    if (!sli) {
      report.error('openslo-missing-reference', `indicatorRef "${ref.string}" names no SLI in the imported files`, ref.range);
      return undefined;
    }
    return sli.cursor.get('spec');
  }
  report.error('openslo-missing-field', 'OpenSLO SLO needs an indicator or an indicatorRef', spec.keyRange);
  return undefined;
}

/** `target` (a ratio, 0.999) or `targetPercent` (99.9) as slo's percentage. */
function objectivePercent(o: Cursor, trace: Trace, report: ImportReport): number | undefined {
  const target = o.get('target');
  const targetPercent = o.get('targetPercent');
  if (target.exists && targetPercent.exists) {
    report.error('openslo-invalid-value', 'give target or targetPercent, not both', targetPercent.keyRange);
    return undefined;
  }
  const given = target.exists ? target : targetPercent;
  const value = given.number;
  if (value === undefined) {
    report.error('openslo-missing-field', 'objective needs target (a ratio such as 0.999) or targetPercent (99.9)', given.place);
    return undefined;
  }
  const percent = target.exists ? cleanNumber(value * 100) : value;
  if (!(percent > 0 && percent < 100)) {
    report.error('openslo-objective-out-of-range', `${target.exists ? 'target' : 'targetPercent'} ${value} leaves ${percent >= 100 ? 'no' : 'all'} error budget; it must be between 0 and ${target.exists ? '1' : '100'} (exclusive)`, given.range);
    return undefined;
  }
  trace.from(['objective'], given);
  if (target.exists) trace.note(['objective'], `target ${value} in OpenSLO`);
  return percent;
}

/** Name suffixes per objective: none for a single objective, else display names, else 1, 2, 3… */
function objectiveSuffixes(objectives: readonly Cursor[]): Array<string | undefined> {
  if (objectives.length === 1) return [undefined];
  const slugs = objectives.map((o) => toDnsLabel(o.get('displayName').string ?? ''));
  const usable = slugs.every((s) => s !== undefined) && new Set(slugs).size === slugs.length;
  return usable ? slugs : objectives.map((_, i) => String(i + 1));
}
