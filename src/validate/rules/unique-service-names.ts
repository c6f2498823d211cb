import { error } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';

export const uniqueServiceNames: Rule = {
  code: 'duplicate-service',
  description: 'Service names are unique across all spec files: they key every generated object.',
  check({ documents, report }) {
    const first = new Map<string, string>();
    for (const doc of documents) {
      const name = doc.spec.metadata.name;
      const prev = first.get(name);
      if (prev === undefined) {
        first.set(name, doc.file);
        continue;
      }
      report(error('duplicate-service', `service "${name}" is already defined in ${prev}`, doc.locate(['metadata', 'name'])));
    }
  },
};
