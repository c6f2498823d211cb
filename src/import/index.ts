/**
 * Foreign spec formats (OpenSLO v1, Sloth prometheus/v1) mapped onto slo/v1 documents, so that the
 * rest of the pipeline sees one format. `slo import` writes the converted documents out as YAML.
 */
import { error, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/document.js';
import type { LoadedDocument } from '../spec/load.js';

export function importDocuments(docs: readonly LoadedDocument[]): Result<SpecDocument[]> {
  const diagnostics: Diagnostic[] = docs.map((d) => error('import-unsupported', `${d.format} specs are not supported yet`, d.map.locate([])));
  return { value: [], diagnostics };
}
