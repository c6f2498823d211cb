/**
 * Semantic validation is a list of small rules (validate/rules/), each with a stable code, run over
 * all documents at once so cross-file rules (unique service names) see everything.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/document.js';
import type { TemplateCatalogue } from '../templates/catalogue.js';

export interface RuleContext {
  readonly documents: readonly SpecDocument[];
  readonly templates: TemplateCatalogue;
  report(d: Diagnostic): void;
}

export interface Rule {
  /** The diagnostic code(s) this rule emits; the first is its name. */
  readonly code: string;
  readonly description: string;
  check(ctx: RuleContext): void;
}
