/**
 * Foreign spec formats (OpenSLO v1, Sloth prometheus/v1) mapped onto slo/v1 documents, so that the
 * rest of the pipeline sees one format. `slo import` writes the converted documents out as YAML
 * (write.ts). docs/import.md lists every mapping rule.
 *
 * The converted specs are not checked against the JSON Schema again: the converters only produce
 * schema-valid slo/v1 (test/import/schema.test.ts holds them to it). Problems are diagnostics at the
 * node of the original file; a converted spec's `locate` maps its paths back to those nodes too.
 */
import { sortDiagnostics, type Result } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/document.js';
import type { LoadedDocument } from '../spec/load.js';
import type { ImportedDocument } from './imported-document.js';
import { importOpenSlo } from './openslo/index.js';
import { ImportReport } from './report.js';
import { importSloth } from './sloth.js';

export type { ImportedDocument } from './imported-document.js';
export { isImportedDocument } from './imported-document.js';

export function importDocuments(docs: readonly LoadedDocument[]): Result<SpecDocument[]> {
  const report = new ImportReport();
  const out: ImportedDocument[] = [];
  // OpenSLO objects reference each other across files, so they are converted together.
  out.push(...importOpenSlo(docs.filter((d) => d.format === 'openslo/v1'), report));
  for (const doc of docs.filter((d) => d.format === 'sloth/prometheus-v1')) {
    const converted = importSloth(doc, report);
    if (converted) out.push(converted);
  }
  return { value: out, diagnostics: sortDiagnostics(report.diagnostics) };
}
