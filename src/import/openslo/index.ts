/**
 * OpenSLO v1 → slo/v1. The SLOs of all loaded files are grouped by `spec.service`; each group becomes one
 * slo/v1 Service, described by the OpenSLO Service object of that name if there is one. The team is the
 * first `team` (then `owner`) label or annotation of the Service, else of its SLOs, else the service
 * name (with a warning).
 */
import type { LoadedDocument } from '../../spec/load.js';
import type { SpecSlo, SpecV1 } from '../../spec/types.js';
import type { Cursor } from '../cursor.js';
import { DocumentBuilder, under, type ImportedDocument } from '../imported-document.js';
import { convertLabels, findTeam, TEAM_LABEL } from '../labels.js';
import { convertName, toDnsLabel } from '../names.js';
import { warnUnknownKeys, type ImportReport } from '../report.js';
import { collectObjects, ObjectIndex, type OpenSloObject } from './objects.js';
import { convertSlo } from './slo.js';

export function importOpenSlo(docs: readonly LoadedDocument[], report: ImportReport): ImportedDocument[] {
  const index = new ObjectIndex(collectObjects(docs, report), report);
  const groups = new Map<string, OpenSloObject[]>();
  for (const slo of index.ofKind('SLO')) {
    const serviceC = slo.cursor.get('spec', 'service');
    const service = serviceC.string !== undefined ? toDnsLabel(serviceC.string) : undefined;
    if (service === undefined) {
      report.error('openslo-missing-field', 'OpenSLO SLO needs spec.service, the name of its service', serviceC.place);
      continue;
    }
    groups.set(service, [...(groups.get(service) ?? []), slo]);
  }
  const out: ImportedDocument[] = [];
  for (const [service, slos] of groups) {
    // The Service object of the same name (compared as DNS labels, as the SLOs were grouped).
    const serviceObject = index.ofKind('Service').find((s) => toDnsLabel(s.name) === service);
    const doc = serviceDocument(serviceObject, slos, index, report);
    if (doc) out.push(doc);
  }
  // Services are matched by name, not referenced; everything else is used when an SLO references it.
  for (const s of index.ofKind('Service')) {
    const used = [...groups.keys()].includes(toDnsLabel(s.name) ?? '');
    warnUnknownKeys(s.cursor.get('spec'), ['description'], 'OpenSLO Service', 'openslo-unknown-key', report);
    if (!used) report.warning('openslo-service-without-slos', `Service "${s.name}" has no SLO in the imported files; nothing is generated for it`, s.cursor.get('metadata', 'name').range);
  }
  for (const o of index.unused().filter((o) => o.kind !== 'SLO' && o.kind !== 'Service')) {
    report.warning('openslo-unused-object', `${o.kind} "${o.name}" is not used by any SLO in the imported files; nothing is generated from it`, o.cursor.get('metadata', 'name').range);
  }
  return out;
}

function serviceDocument(service: OpenSloObject | undefined, slos: readonly OpenSloObject[], index: ObjectIndex, report: ImportReport): ImportedDocument | undefined {
  const first = slos[0]!;
  const b = new DocumentBuilder('openslo/v1', (service ?? first).cursor);
  b.from(['apiVersion'], (service ?? first).cursor.get('apiVersion'));
  b.from(['kind'], (service ?? first).cursor.get('kind'));
  b.from(['metadata'], (service ?? first).cursor.get('metadata'));
  const nameC = service ? service.cursor.get('metadata', 'name') : first.cursor.get('spec', 'service');
  const name = convertName(nameC, 'OpenSLO service name', b, ['metadata', 'name'], report);

  const specSlos: SpecSlo[] = [];
  const notifications: Record<string, string[]> = {};
  for (const slo of slos) {
    const converted = convertSlo(slo, index, b, specSlos.length, report);
    if (!converted) {
      const objectives = Math.max(1, slo.cursor.get('spec', 'objectives').items.length);
      for (let i = 0; i < objectives; i++) b.forget(['slos', specSlos.length + i]);
      continue;
    }
    specSlos.push(...converted.slos);
    for (const [route, { targets, source }] of converted.routes) {
      notifications[route] = [...new Set([...(notifications[route] ?? []), ...targets])];
      b.from(['notifications', route], source);
      b.note(['notifications', route], 'OpenSLO notification targets name only a kind; the target object names the address.');
    }
  }
  b.from(['slos'], first.cursor.get('spec'));
  if (name === undefined || specSlos.length === 0) return undefined;

  const labelSources: Cursor[] = service ? [service.cursor.get('metadata', 'labels'), service.cursor.get('metadata', 'annotations')] : [];
  for (const slo of slos) labelSources.push(slo.cursor.get('metadata', 'labels'), slo.cursor.get('metadata', 'annotations'));
  const metadata: SpecV1['metadata'] = { name, team: team(labelSources, name, nameC, b, report) };
  if (service) {
    const description = service.cursor.get('spec', 'description');
    const displayName = service.cursor.get('metadata', 'displayName');
    const text = description.string ?? displayName.string;
    if (text !== undefined) {
      metadata.description = text;
      b.fromScalar(['metadata', 'description'], description.string !== undefined ? description : displayName);
    }
    const labelsC = service.cursor.get('metadata', 'labels');
    b.from(['metadata', 'labels'], labelsC);
    const labels = convertLabels(labelsC, under(b, ['metadata', 'labels']), report, new Set([TEAM_LABEL]));
    if (Object.keys(labels).length > 0) metadata.labels = labels;
  }
  const spec: SpecV1 = {
    apiVersion: 'slo/v1',
    kind: 'Service',
    metadata,
    ...(Object.keys(notifications).length > 0 ? { notifications: Object.fromEntries(Object.entries(notifications).sort(([a], [b]) => (a < b ? -1 : 1))) } : {}),
    slos: specSlos,
  };
  return b.build(spec);
}

function team(sources: readonly Cursor[], service: string, nameC: Cursor, b: DocumentBuilder, report: ImportReport): string {
  const found = findTeam(sources);
  if (found) {
    b.from(['metadata', 'team'], found.source);
    return found.team;
  }
  b.from(['metadata', 'team'], nameC);
  report.warning('import-default-team', `no team or owner label on the OpenSLO Service or its SLOs; the service name "${service}" is used as the team`, nameC.range);
  b.note(['metadata', 'team'], 'OpenSLO names no owner here: defaulted to the service name. Set the owning team.');
  return service;
}
