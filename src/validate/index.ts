import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { InternalError } from '../diagnostics/errors.js';
import type { SpecDocument } from '../spec/document.js';
import type { TemplateCatalogue } from '../templates/catalogue.js';
import { rules } from './rules/index.js';

/** Runs every semantic rule and returns all diagnostics, sorted by position. */
export function validateSpecs(documents: readonly SpecDocument[], templates: TemplateCatalogue): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = { documents, templates, report: (d: Diagnostic) => out.push(d) };
  for (const rule of rules) {
    try {
      rule.check(ctx);
    } catch (e) {
      // Rules see only schema-valid specs; a throw is a bug in the rule, named so it can be reported.
      throw new InternalError(`validation rule ${rule.code} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return sortDiagnostics(out);
}
