import type { OutputFile } from '../backends/backend.js';
import type { View } from './view.js';

export function renderBuildResult(view: View, outDir: string, targets: readonly string[], files: readonly OutputFile[]): void {
  for (const target of targets) {
    const count = files.filter((f) => f.path.startsWith(`${target}/`)).length;
    view.err(`  ${target.padEnd(12)} ${count} file${count === 1 ? '' : 's'}  → ${outDir}/${target}/`);
  }
  view.err(`Built ${files.length} file${files.length === 1 ? '' : 's'} for ${targets.length} target${targets.length === 1 ? '' : 's'} into ${outDir}/.`);
}
