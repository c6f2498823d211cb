import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { eachSlo } from './spec-walk.js';

/**
 * A latency SLI with only a threshold compiles to nothing on every backend. (An empty `events` mapping
 * is already refused by the schema.)
 */
export const sliHasSource: Rule = {
  code: 'sli-without-source',
  description: 'A latency SLI names at least one backend source (prometheus, datadog or elasticsearch) besides its threshold.',
  check({ documents, report }) {
    for (const ref of eachSlo(documents)) {
      const latency = ref.slo.sli.latency;
      if (!latency || latency.prometheus || latency.datadog || latency.elasticsearch) continue;
      report(
        error(
          'sli-without-source',
          `latency SLI of "${ref.slo.name}" has a threshold but no source: add prometheus (histogram), datadog (metric) or elasticsearch (index, filter, field)`,
          ref.doc.locateKey([...ref.path, 'sli', 'latency']),
        ),
      );
    }
  },
};
