import path from 'node:path';
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
      // Named relative to this file, so the message reads the same from any working directory.
      const other = prev === doc.file ? 'this file' : path.relative(path.dirname(doc.file), prev).split(path.sep).join('/');
      report(error('duplicate-service', `service "${name}" is already defined in ${other}`, doc.locate(['metadata', 'name'])));
    }
  },
};
