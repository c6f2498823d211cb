import { error } from '../../diagnostics/diagnostic.js';
import { closest } from '../../spec/suggest.js';
import { unloadableTemplates } from '../../templates/catalogue.js';
import type { Rule } from '../rule.js';
import { eachSlo } from './spec-walk.js';

export const templateExists: Rule = {
  code: 'unknown-template',
  description: 'sli.template names a built-in SLI template or one from the templates directory.',
  check({ documents, templates, report }) {
    const names = [...templates.keys()].sort();
    for (const ref of eachSlo(documents)) {
      const name = ref.slo.sli.template;
      // A team template whose file has errors is reported there; "unknown" would send the user looking elsewhere.
      if (name === undefined || templates.has(name) || unloadableTemplates(templates).has(name)) continue;
      const guess = closest(name, names);
      const hint = guess ? `did you mean "${guess}"?` : `known templates: ${names.join(', ')}`;
      report(error('unknown-template', `unknown SLI template "${name}"; ${hint}`, ref.doc.locate([...ref.path, 'sli', 'template'])));
    }
  },
};
