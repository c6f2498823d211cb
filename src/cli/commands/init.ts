import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sourceless } from '../../diagnostics/diagnostic.js';
import { ID_PATTERN } from '../../model/conventions.js';
import { pathExists } from '../../build/write-output.js';
import { starterSpec } from '../../init/starter-spec.js';
import { renderDiagnostics } from '../../views/validate.js';
import type { View } from '../../views/view.js';
import { EXIT } from '../exit-codes.js';

export interface InitArgs {
  readonly name: string;
  readonly team: string;
  readonly dir: string;
  readonly force: boolean;
}

export async function initCommand(args: InitArgs, view: View): Promise<number> {
  if (!ID_PATTERN.test(args.name)) {
    renderDiagnostics(view, [sourceless('bad-name', `service name "${args.name}" must be a DNS label: lowercase letters, digits and '-'`)]);
    return EXIT.error;
  }
  const file = path.join(args.dir, `${args.name}.yaml`);
  if (!args.force && (await pathExists(file))) {
    renderDiagnostics(view, [sourceless('file-exists', `${file} already exists; use --force to overwrite it`)]);
    return EXIT.error;
  }
  await mkdir(args.dir, { recursive: true });
  await writeFile(file, starterSpec(args.name, args.team));
  view.err(`Wrote ${file}. Next: edit it, then run \`slo validate\` and \`slo build\`.`);
  return EXIT.ok;
}
