/**
 * Where `slo import --out DIR` writes each converted spec: DIR/<service>.yaml. Two inputs converting to
 * one service would write one file twice, the second conversion silently replacing the first: that is
 * an error, found before anything is written. Validation reports it first (duplicate-service, at the
 * second file's name); this is the writer's own guard, so no path of the import can overwrite a file.
 */
import path from 'node:path';
import { sourceless, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../spec/document.js';

export interface ImportOutput {
  readonly file: string;
  readonly doc: SpecDocument;
}

export function importOutputs(docs: readonly SpecDocument[], outDir: string): Result<ImportOutput[]> {
  const byFile = new Map<string, SpecDocument>();
  const diagnostics: Diagnostic[] = [];
  for (const doc of docs) {
    const file = path.join(outDir, `${doc.spec.metadata.name}.yaml`);
    const first = byFile.get(file);
    if (first === undefined) byFile.set(file, doc);
    else {
      diagnostics.push(
        sourceless(
          'import-same-output',
          `${first.file} and ${doc.file} both convert to the service "${doc.spec.metadata.name}", written to ${file}; rename one of the services or import them into different folders`,
        ),
      );
    }
  }
  return { value: [...byFile].map(([file, doc]) => ({ file, doc })), diagnostics };
}
