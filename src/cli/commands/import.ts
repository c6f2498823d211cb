import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { importDocuments } from '../../import/index.js';
import { toSloV1Yaml } from '../../import/write.js';
import { loadSpecFiles } from '../../spec/load.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';

export interface ImportArgs {
  readonly files: readonly string[];
  readonly out?: string;
}

export async function importCommand(args: ImportArgs, view: View): Promise<number> {
  const loaded = await loadSpecFiles(args.files);
  const foreign = loaded.value.filter((d) => d.format !== 'slo/v1');
  const imported = importDocuments(foreign);
  const diagnostics = [...loaded.diagnostics, ...imported.diagnostics];
  renderDiagnostics(view, diagnostics);
  if (hasErrors(diagnostics)) return EXIT.error;
  if (imported.value.length === 0) {
    view.err('No OpenSLO or Sloth specs found; nothing to import.');
    return EXIT.error;
  }
  for (const doc of imported.value) {
    const text = toSloV1Yaml(doc);
    if (args.out) {
      await mkdir(args.out, { recursive: true });
      const file = path.join(args.out, `${doc.spec.metadata.name}.yaml`);
      await writeFile(file, text);
      view.err(`Wrote ${file} (from ${doc.file}).`);
    } else {
      view.out(`---\n${text}`);
    }
  }
  return EXIT.ok;
}
