import { sourceless, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { outputPathProblem, pathExists, writeFileAtomic } from '../../build/write-output.js';
import { importOutputs } from '../../import/outputs.js';
import { toSloV1Yaml } from '../../import/write.js';
import { modelFromLoaded } from '../../pipeline/load-model.js';
import { loadSpecFiles } from '../../spec/load.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';

export interface ImportArgs {
  readonly files: readonly string[];
  readonly out?: string;
  /** Overwrite existing files in `out`. */
  readonly force?: boolean;
}

const OUT_HINT = 'choose another --out folder';

export async function importCommand(args: ImportArgs, view: View): Promise<number> {
  const loaded = await loadSpecFiles(args.files);
  const foreign = loaded.value.filter((d) => d.format !== 'slo/v1');
  // Converted, then checked as slo validate would check the files written: a file that would not
  // validate (two SLOs renamed alike, an objective given as a ratio) is not written.
  const imported = modelFromLoaded(foreign, loaded.diagnostics);
  renderDiagnostics(view, imported.diagnostics);
  if (hasErrors(imported.diagnostics)) return EXIT.error;
  const documents = imported.documents;
  if (documents.length === 0) {
    view.err('No OpenSLO or Sloth specs found; nothing to import.');
    return EXIT.error;
  }
  if (args.out === undefined) {
    for (const doc of documents) view.out(`---\n${toSloV1Yaml(doc)}`);
    return EXIT.ok;
  }

  // Everything that would stop the import is found before the first file is written.
  const outputs = importOutputs(documents, args.out);
  const problems: Diagnostic[] = [...outputs.diagnostics];
  const outProblem = outputPathProblem(args.out, 'folder', OUT_HINT);
  if (outProblem) problems.push(outProblem);
  else if (!args.force) {
    for (const { file } of outputs.value) {
      if (await pathExists(file)) problems.push(sourceless('file-exists', `${file} already exists; use --force to overwrite it`));
    }
  }
  if (problems.length > 0) {
    renderDiagnostics(view, problems);
    return EXIT.error;
  }
  for (const { file, doc } of outputs.value) {
    const failed = await writeFileAtomic(file, toSloV1Yaml(doc), OUT_HINT);
    if (failed) {
      renderDiagnostics(view, [failed]);
      return EXIT.error;
    }
    view.err(`Wrote ${file} (from ${doc.file}).`);
  }
  return EXIT.ok;
}
