import { error } from '../../diagnostics/diagnostic.js';
import { closest } from '../../spec/suggest.js';
import { checkVars, tryInstantiate } from '../../templates/catalogue.js';
import type { Rule } from '../rule.js';
import { eachSlo } from './spec-walk.js';

export const templateVars: Rule = {
  code: 'missing-template-var',
  description:
    'Template vars: every required one given (missing-template-var), no unknown ones (unknown-template-var), values match the parameter pattern (invalid-template-var); the template renders with them (template-invalid).',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      const sli = ref.slo.sli;
      const template = sli.template === undefined ? undefined : templates.get(sli.template);
      if (!template) continue;
      const varsPath = [...ref.path, 'sli', 'vars'];
      const problems = checkVars(template, sli.vars ?? {});
      if (problems.length === 0) {
        // The template loader refuses what it knows handlebars would throw on; anything else it throws
        // is said here, once, instead of crashing the rules that read the SLI.
        const rendered = tryInstantiate(template, sli.vars ?? {});
        if ('error' in rendered) {
          report(error('template-invalid', `SLI template "${template.name}" (${template.file}) cannot be rendered: ${rendered.error}`, ref.doc.locate([...ref.path, 'sli', 'template'])));
        }
      }
      for (const p of problems) {
        switch (p.kind) {
          case 'missing': {
            const description = template.params[p.name]?.description;
            const at = sli.vars === undefined ? ref.doc.locateKey([...ref.path, 'sli', 'template']) : ref.doc.locateKey(varsPath);
            report(error('missing-template-var', `template "${template.name}" needs var "${p.name}"${description ? `: ${description}` : ''}`, at));
            break;
          }
          case 'unknown': {
            const guess = closest(p.name, p.known);
            const hint = guess ? `did you mean "${guess}"?` : p.known.length > 0 ? `its vars are ${p.known.join(', ')}` : 'it takes no vars';
            report(error('unknown-template-var', `template "${template.name}" has no var "${p.name}"; ${hint}`, ref.doc.locateKey([...varsPath, p.name])));
            break;
          }
          case 'pattern':
            report(error('invalid-template-var', `var "${p.name}" of template "${template.name}" must match ${p.pattern}, not ${JSON.stringify(p.value)}`, ref.doc.locate([...varsPath, p.name])));
            break;
          case 'placeholder':
            report(error('invalid-template-var', `var "${p.name}" of template "${template.name}" must not contain {{ or }}: the value is used as written, never as a placeholder`, ref.doc.locate([...varsPath, p.name])));
            break;
        }
      }
    }
  },
};
