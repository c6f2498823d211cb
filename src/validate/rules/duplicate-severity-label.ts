import { warning } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { eachSlo, enabledSeverities } from './spec-walk.js';

/**
 * Alertmanager and Datadog route on the severity label. If page and ticket alerts carry the same value,
 * a slow burn is routed like a fast one (or the other way round).
 */
export const duplicateSeverityLabel: Rule = {
  code: 'duplicate-severity-label',
  description: 'The page and ticket alerts of an SLO carry different severity labels (warning).',
  check({ documents, report }) {
    for (const ref of eachSlo(documents)) {
      const [first, second] = enabledSeverities(ref);
      if (!first || !second) continue;
      const a = first.spec.severity ?? first.name;
      const b = second.spec.severity ?? second.name;
      if (a !== b) continue;
      const at = second.spec.severity !== undefined ? ref.doc.locate([...second.path, 'severity']) : ref.doc.locate([...first.path, 'severity']);
      report(warning('duplicate-severity-label', `page and ticket alerts of SLO "${ref.slo.name}" both have severity "${a}": routing cannot tell a fast burn from a slow one`, at));
    }
  },
};
