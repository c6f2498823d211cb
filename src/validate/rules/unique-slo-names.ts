import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';

export const uniqueSloNames: Rule = {
  code: 'duplicate-slo',
  description: 'SLO names are unique within a service.',
  check({ documents, report }) {
    for (const doc of documents) {
      const seen = new Map<string, number>();
      doc.spec.slos.forEach((slo, i) => {
        const prev = seen.get(slo.name);
        if (prev === undefined) seen.set(slo.name, i);
        else report(error('duplicate-slo', `SLO "${slo.name}" is already defined in this service (slos[${prev}])`, doc.locate(['slos', i, 'name'])));
      });
    }
  },
};
