/** Flag parsing shared by commands: typed values, errors as diagnostics. */
import { sourceless, type Diagnostic } from '../diagnostics/diagnostic.js';
import { backends, findBackend } from '../backends/registry.js';
import type { Backend, BackendOptions } from '../backends/backend.js';
import type { Model } from '../model/types.js';

export const DEFAULT_SPEC_PATHS = ['slos'];

export function specPaths(args: readonly string[]): string[] {
  return args.length > 0 ? [...args] : DEFAULT_SPEC_PATHS;
}

/** `--target a,b` → backends; no flag → every backend that has something to compile. */
export function selectTargets(flag: string | undefined, model: Model | undefined): { targets: Backend[]; diagnostics: Diagnostic[] } {
  if (flag === undefined || flag === '' || flag === 'all') {
    const all: readonly Backend[] = backends;
    return { targets: all.filter((b) => (model ? b.hasWork(model) : true)), diagnostics: [] };
  }
  const targets: Backend[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of flag.split(',').map((s) => s.trim()).filter(Boolean)) {
    const b = findBackend(name);
    if (b) targets.push(b);
    else diagnostics.push(sourceless('unknown-target', `unknown target "${name}"; known targets: ${backends.map((x) => x.name).join(', ')}`));
  }
  return { targets, diagnostics };
}

/** `--option key=value` pairs (repeatable) plus dedicated flags, into the backends' options. */
export function backendOptions(pairs: readonly string[], extra: Record<string, string | undefined>): { options: BackendOptions; diagnostics: Diagnostic[] } {
  const options: Record<string, string | undefined> = {};
  const diagnostics: Diagnostic[] = [];
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) diagnostics.push(sourceless('bad-option', `--option takes key=value, got "${pair}"`));
    else options[pair.slice(0, i)] = pair.slice(i + 1);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) options[k] = v;
  return { options, diagnostics };
}
