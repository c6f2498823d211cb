import path from 'node:path';
import { sourceless } from '../../diagnostics/diagnostic.js';
import { pathExists, writeFileAtomic } from '../../build/write-output.js';
import { checkInitFlags } from '../../init/flags.js';
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
  const flags = checkInitFlags(args.name, args.team);
  if (flags.length > 0) {
    renderDiagnostics(view, flags);
    return EXIT.error;
  }
  const file = path.join(args.dir, `${args.name}.yaml`);
  if (!args.force && (await pathExists(file))) {
    renderDiagnostics(view, [sourceless('file-exists', `${file} already exists; use --force to overwrite it`)]);
    return EXIT.error;
  }
  const failed = await writeFileAtomic(file, starterSpec(args.name, args.team), 'choose another --dir');
  if (failed) {
    renderDiagnostics(view, [failed]);
    return EXIT.error;
  }
  view.err(`Wrote ${file}. Next: edit it, then run \`slo validate\` and \`slo build\`.`);
  return EXIT.ok;
}
