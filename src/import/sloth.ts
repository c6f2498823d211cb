/**
 * Sloth `version: prometheus/v1` → slo/v1. One Sloth file is one service.
 *
 * Sloth computes every SLO over one period (its `--default-slo-period` flag, 30d unless changed) and
 * alerts with the SRE workbook's multi-window multi-burn-rate windows. slo's defaults for a 30d window
 * are exactly those windows (page 1h/5m ×14.4 and 6h/30m ×6, ticket 1d/2h ×3 and 3d/6h ×1), so the
 * converted SLOs get `window: 30d` and no explicit windows: they alert when Sloth's alerts would.
 */
import type { LoadedDocument } from '../spec/load.js';
import type { PathSegment } from '../spec/source-map.js';
import type { SpecAlerting, SpecSeverity, SpecSli, SpecSlo, SpecV1 } from '../spec/types.js';
import { Cursor, mapLocator, scalarText } from './cursor.js';
import { DocumentBuilder, under, type ImportedDocument } from './imported-document.js';
import { convertLabels, findTeam, TEAM_LABEL } from './labels.js';
import { convertName } from './names.js';
import { fromGoTemplate } from './promql.js';
import { warnUnknownKeys, type ImportReport } from './report.js';

/** Sloth's default SLO period, used for every Sloth SLO. */
export const SLOTH_DEFAULT_WINDOW = '30d';

const SPEC_KEYS = ['version', 'service', 'labels', 'slos'];
const SLO_KEYS = ['name', 'description', 'objective', 'labels', 'sli', 'alerting'];
const SLI_KEYS = ['events', 'raw', 'plugin'];
const EVENTS_KEYS = ['error_query', 'total_query'];
const ALERTING_KEYS = ['name', 'labels', 'annotations', 'page_alert', 'ticket_alert'];
const ALERT_KEYS = ['disable', 'labels', 'annotations'];
const SEVERITY_LABEL = 'severity';

export function importSloth(doc: LoadedDocument, report: ImportReport): ImportedDocument | undefined {
  const root = new Cursor(doc.data, mapLocator(doc.map));
  const b = new DocumentBuilder('sloth/prometheus-v1', root);
  warnUnknownKeys(root, SPEC_KEYS, 'Sloth spec', 'sloth-unknown-key', report);
  b.from(['apiVersion'], root.get('version'));

  const name = convertName(root.get('service'), 'Sloth service', b, ['metadata', 'name'], report);
  const labelsC = root.get('labels');
  if (labelsC.exists && !labelsC.record) report.error('sloth-invalid-value', 'Sloth labels must be a mapping of label names to values', labelsC.range);

  const slosC = root.get('slos');
  if (slosC.items.length === 0) {
    report.error('sloth-missing-field', 'Sloth spec has no SLOs: `slos` must be a non-empty list', slosC.place);
  }
  b.from(['slos'], slosC);
  const slos: SpecSlo[] = [];
  for (const sloC of slosC.items) {
    const slo = slothSlo(sloC, ['slos', slos.length], b, report);
    if (slo) slos.push(slo);
    else b.forget(['slos', slos.length]);
  }
  if (name === undefined || slos.length === 0) return undefined;

  const metadata: SpecV1['metadata'] = { name, team: slothTeam(root, name, b, report) };
  b.from(['metadata'], root);
  const tier = tierLabel(labelsC);
  if (tier !== undefined) {
    metadata.tier = tier;
    b.fromScalar(['metadata', 'tier'], labelsC.get('tier'));
  }
  b.from(['metadata', 'labels'], labelsC);
  const labels = convertLabels(labelsC, under(b, ['metadata', 'labels']), report, new Set([TEAM_LABEL, ...(tier !== undefined ? ['tier'] : [])]));
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  b.from(['kind'], root);
  return b.build({ apiVersion: 'slo/v1', kind: 'Service', metadata, slos });
}

/** Sloth has no owner field: `labels.team`, else `labels.owner`, else the service name (with a warning). */
function slothTeam(root: Cursor, service: string, b: DocumentBuilder, report: ImportReport): string {
  const found = findTeam([root.get('labels')]);
  if (found) {
    b.fromScalar(['metadata', 'team'], found.source);
    return found.team;
  }
  b.from(['metadata', 'team'], root.get('service'));
  report.warning('import-default-team', `Sloth specs name no team; the service name "${service}" is used as the team (set labels.team or labels.owner)`, root.get('service').range);
  b.note(['metadata', 'team'], 'Sloth names no owner: defaulted to the service name. Set the owning team.');
  return service;
}

/** Sloth's conventional `tier` label ("0".."5") becomes the service tier. */
function tierLabel(labels: Cursor): number | undefined {
  const text = scalarText(labels.get('tier').value);
  return text !== undefined && /^[0-5]$/.test(text) ? Number(text) : undefined;
}

function slothSlo(c: Cursor, path: readonly PathSegment[], b: DocumentBuilder, report: ImportReport): SpecSlo | undefined {
  const errorsBefore = report.errorCount;
  warnUnknownKeys(c, SLO_KEYS, 'Sloth SLO', 'sloth-unknown-key', report);
  b.from(path, c);
  const name = convertName(c.get('name'), 'Sloth SLO name', b, [...path, 'name'], report);

  const objectiveC = c.get('objective');
  const objective = objectiveC.number;
  if (objective === undefined) {
    report.error('sloth-invalid-value', 'Sloth SLO objective must be a number (a percentage such as 99.9)', objectiveC.place);
  } else if (!(objective > 0 && objective < 100)) {
    report.error('sloth-objective-out-of-range', `objective ${objective} is outside 0 < objective < 100; slo objectives leave some error budget`, objectiveC.range);
  }
  b.fromScalar([...path, 'objective'], objectiveC);

  const sli = slothSli(c.get('sli'), [...path, 'sli'], b, report);
  const alerting = slothAlerting(c.get('alerting'), [...path, 'alerting'], b, report);
  if (report.errorCount > errorsBefore || name === undefined || objective === undefined || sli === undefined) return undefined;

  const description = c.get('description');
  if (description.string !== undefined) {
    b.fromScalar([...path, 'description'], description);
  }
  b.note([...path, 'window'], "Sloth's SLO period is its --default-slo-period flag, 30d unless changed.");
  const labelsC = c.get('labels');
  b.from([...path, 'labels'], labelsC);
  const labels = convertLabels(labelsC, under(b, [...path, 'labels']), report);
  // Keys in the order slo/v1 writes them.
  return {
    name,
    ...(description.string !== undefined ? { description: description.string } : {}),
    objective,
    window: SLOTH_DEFAULT_WINDOW,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    sli,
    ...(alerting !== undefined ? { alerting } : {}),
  };
}

function slothSli(c: Cursor, path: readonly PathSegment[], b: DocumentBuilder, report: ImportReport): SpecSli | undefined {
  b.from(path, c);
  if (!c.record) {
    report.error('sloth-missing-field', 'Sloth SLO needs an `sli` with `events` (error_query and total_query)', c.place);
    return undefined;
  }
  warnUnknownKeys(c, SLI_KEYS, 'Sloth SLI', 'sloth-unknown-key', report);
  const plugin = c.get('plugin');
  if (plugin.exists) {
    const id = scalarText(plugin.get('id').value);
    report.error('sloth-plugin-sli-unsupported', `SLI plugin${id ? ` "${id}"` : ''} cannot be imported: plugins are Go code run by Sloth`, plugin.keyRange, 'Write the queries the plugin generates as sli.events (error_query and total_query).');
  }
  const raw = c.get('raw');
  if (raw.exists) {
    report.error(
      'sloth-raw-sli-unsupported',
      'raw SLIs (error_ratio_query) cannot be imported: slo needs the events behind the ratio',
      raw.keyRange,
      'slo weighs every window by its traffic and guards quiet services with event counts, which a precomputed ratio does not give. Rewrite the SLI as events: error_query and total_query.',
    );
  }
  const events = c.get('events');
  if (!events.exists) {
    if (!plugin.exists && !raw.exists) report.error('sloth-missing-field', 'Sloth SLI needs `events` with error_query and total_query', c.keyRange);
    return undefined;
  }
  warnUnknownKeys(events, EVENTS_KEYS, 'Sloth SLI events', 'sloth-unknown-key', report);
  b.from([...path, 'events'], events);
  b.from([...path, 'events', 'prometheus'], events);
  const errors = slothQuery(events.get('error_query'), 'error_query', [...path, 'events', 'prometheus', 'errors'], b, report);
  const total = slothQuery(events.get('total_query'), 'total_query', [...path, 'events', 'prometheus', 'total'], b, report);
  if (errors === undefined || total === undefined) return undefined;
  return { events: { prometheus: { errors, total } } };
}

function slothQuery(c: Cursor, key: string, path: readonly PathSegment[], b: DocumentBuilder, report: ImportReport): string | undefined {
  const query = c.string;
  if (query === undefined || query.trim() === '') {
    report.error('sloth-missing-field', `Sloth SLI events need ${key}, a PromQL string`, c.place);
    return undefined;
  }
  const converted = fromGoTemplate(query);
  if ('problem' in converted) {
    report.error('sloth-query-template', `${key} ${converted.problem}`, c.range);
    return undefined;
  }
  if (converted.ok.text === query) {
    report.error('sloth-query-without-window', `${key} does not use {{.window}}; Sloth and slo evaluate the query over several windows`, c.range);
    return undefined;
  }
  b.from(path, c, converted.ok.toOriginal);
  return converted.ok.text;
}

/**
 * Sloth's alerting block: shared labels and annotations, then one block per alert (`page_alert`,
 * `ticket_alert`), either turned off with `disable: true`. A `severity` label becomes the policy's
 * severity (slo sets that label itself). Sloth's alert `name` is not kept: slo names its alerts.
 */
function slothAlerting(c: Cursor, path: readonly PathSegment[], b: DocumentBuilder, report: ImportReport): SpecAlerting | false | undefined {
  if (!c.exists) return undefined;
  b.from(path, c);
  if (!c.record) {
    report.error('sloth-invalid-value', 'Sloth alerting must be a mapping', c.range);
    return undefined;
  }
  warnUnknownKeys(c, ALERTING_KEYS, 'Sloth alerting', 'sloth-unknown-key', report);
  const out: SpecAlerting = {};
  const templated = new Set<string>();
  for (const [policy, key] of [
    ['page', 'page_alert'],
    ['ticket', 'ticket_alert'],
  ] as const) {
    const alertC = c.get(key);
    warnUnknownKeys(alertC, ALERT_KEYS, `Sloth ${key}`, 'sloth-unknown-key', report);
    const sevPath = [...path, policy];
    if (alertC.get('disable').value === true) {
      b.from(sevPath, alertC.get('disable'));
      out[policy] = false;
      continue;
    }
    b.from(sevPath, alertC.exists ? alertC : c);
    const sev: SpecSeverity = {};
    // The alert's own labels win over the shared ones, as in Sloth.
    const severity = [alertC, c].map((x) => x.get('labels', SEVERITY_LABEL)).find((x) => (scalarText(x.value) ?? '') !== '');
    if (severity) {
      sev.severity = scalarText(severity.value)!;
      b.fromScalar([...sevPath, 'severity'], severity);
    }
    const skip = new Set([SEVERITY_LABEL]);
    b.from([...sevPath, 'labels'], alertC.get('labels').exists ? alertC.get('labels') : c.get('labels'));
    const labels = {
      ...convertLabels(c.get('labels'), under(b, [...sevPath, 'labels']), report, skip),
      ...convertLabels(alertC.get('labels'), under(b, [...sevPath, 'labels']), report, skip),
    };
    if (Object.keys(labels).length > 0) sev.labels = labels;
    const annotations = {
      ...annotationsOf(c.get('annotations'), [...sevPath, 'annotations'], b, report, templated),
      ...annotationsOf(alertC.get('annotations'), [...sevPath, 'annotations'], b, report, templated),
    };
    if (Object.keys(annotations).length > 0) sev.annotations = annotations;
    if (Object.keys(sev).length > 0) out[policy] = sev;
  }
  if (out.page === false && out.ticket === false) return false;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * `warned`: the annotations already warned about, by position (the shared ones are read for each alert).
 * slo writes annotations as literal text (its Prometheus output escapes `{{`), so a Sloth annotation's
 * Go template (`{{ $labels.sloth_service }}`) would reach the alert unexpanded: said, not silently kept.
 */
function annotationsOf(c: Cursor, path: readonly PathSegment[], b: DocumentBuilder, report: ImportReport, warned: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (c.exists) b.from(path, c);
  for (const [key, value] of c.entries) {
    const text = scalarText(value.value);
    if (text === undefined) continue;
    const at = `${value.range.start.line}:${value.range.start.col}`;
    if (text.includes('{{') && !warned.has(at)) {
      warned.add(at);
      report.warning(
        'import-annotation-template',
        `annotation "${key}" holds a Go template, which slo does not expand: annotations are written as literal text`,
        value.range,
        'Write the value out, or move the text to messages.summary / messages.description, which take slo variables such as {{service}} and {{runbook}}.',
      );
    }
    out[key] = text;
    b.fromScalar([...path, key], value);
  }
  return out;
}
