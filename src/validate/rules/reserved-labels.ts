import { error } from '../../diagnostics/diagnostic.js';
import { isReservedLabel, LABELS, RESERVED_LABEL_PREFIX, RESERVED_LABELS } from '../../model/conventions.js';
import type { SpecDocument } from '../../spec/document.js';
import type { PathSegment } from '../../spec/source-map.js';
import type { Rule } from '../rule.js';
import { eachSlo, enabledSeverities } from './spec-walk.js';

/**
 * slo sets slo_id, severity and friends on every series and alert; routing and dashboards key on them.
 * A user label of the same name would replace them (Sloth #513: alerts lost their routing). Names
 * starting with __ belong to Prometheus.
 */
export const reservedLabels: Rule = {
  code: 'reserved-label',
  description: `Labels (metadata.labels, SLO labels, alert labels, latency.prometheus.by) do not use names slo sets itself (${[...RESERVED_LABELS].join(', ')}), names starting with ${RESERVED_LABEL_PREFIX} or names starting with __.`,
  check({ documents, report }) {
    const checkKeys = (doc: SpecDocument, path: readonly PathSegment[], labels: Record<string, string> | undefined) => {
      for (const name of Object.keys(labels ?? {})) {
        if (isReservedLabel(name)) report(error('reserved-label', reservedMessage(name), doc.locateKey([...path, name])));
      }
    };
    for (const doc of documents) checkKeys(doc, ['metadata', 'labels'], doc.spec.metadata.labels);
    for (const ref of eachSlo(documents)) {
      checkKeys(ref.doc, [...ref.path, 'labels'], ref.slo.labels);
      for (const sev of enabledSeverities(ref)) checkKeys(ref.doc, [...sev.path, 'labels'], sev.spec.labels);
      (ref.slo.sli.latency?.prometheus?.by ?? []).forEach((name, i) => {
        if (!isReservedLabel(name)) return;
        const why = name === 'le' ? 'buckets are always grouped by le; remove it' : reservedMessage(name);
        report(error('reserved-label', `latency.prometheus.by: ${why}`, ref.doc.locate([...ref.path, 'sli', 'latency', 'prometheus', 'by', i])));
      });
    }
  },
};

function reservedMessage(name: string): string {
  if (name.startsWith('__')) return `label "${name}" is reserved: names starting with __ are internal to Prometheus`;
  if (name === LABELS.severity) return `label "severity" is set by slo from the alert's severity; use alerting.<page|ticket>.severity to change its value`;
  if (name === LABELS.team || name === LABELS.tier) return `label "${name}" is set by slo from metadata.${name}; set metadata.${name} instead`;
  if (!RESERVED_LABELS.has(name)) return `label "${name}" is reserved: names starting with ${RESERVED_LABEL_PREFIX} are slo's (alert routing uses slo_notify_<kind>)`;
  return `label "${name}" is reserved: slo sets it on every generated series and alert, and routing depends on it`;
}
