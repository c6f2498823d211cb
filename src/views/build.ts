import type { WriteSummary } from '../build/write-output.js';
import type { View } from './view.js';

export function renderBuildResult(view: View, out: string, { targets, perTarget, written }: WriteSummary): void {
  const outDir = out.length > 1 ? out.replace(/\/+$/, '') : out; // `--out deploy/` shows deploy/, not deploy//
  for (const target of targets) {
    const count = perTarget[target] ?? 0;
    view.err(`  ${target.padEnd(12)} ${count} file${count === 1 ? '' : 's'}  → ${outDir}/${target}/`);
  }
  view.err(`Built ${written} file${written === 1 ? '' : 's'} for ${targets.length} target${targets.length === 1 ? '' : 's'} into ${outDir}/.`);
}
