/** Flag parsing shared by commands: typed values, errors as diagnostics. */
import { sourceless, type Diagnostic } from '../diagnostics/diagnostic.js';
import { backends, findBackend } from '../backends/registry.js';
import type { Backend, BackendOptions } from '../backends/backend.js';
import { OPTION_KEYS as DATADOG_OPTION_KEYS } from '../backends/datadog/options.js';
import { KIBANA_OPTION } from '../backends/elastic/compile.js';
import { LAYOUTS_OPTION } from '../backends/grafana/layout-files.js';
import { OPTION_KEYS as PROMETHEUS_OPTION_KEYS } from '../backends/prometheus/options.js';
import { parseBaseUrl } from '../model/base-url.js';
import type { Model } from '../model/types.js';
import { closest } from '../spec/suggest.js';

export const DEFAULT_SPEC_PATHS = ['slos'];

export function specPaths(args: readonly string[]): string[] {
  return args.length > 0 ? [...args] : DEFAULT_SPEC_PATHS;
}

/** `--target a,b` → backends, each once; no flag → every backend that has something to compile. */
export function selectTargets(flag: string | undefined, model: Model | undefined): { targets: Backend[]; diagnostics: Diagnostic[] } {
  if (allTargets(flag)) {
    const all: readonly Backend[] = backends;
    return { targets: all.filter((b) => (model ? b.hasWork(model) : true)), diagnostics: [] };
  }
  const targets: Backend[] = [];
  const diagnostics: Diagnostic[] = [];
  // A name given twice means the same target: compiling it twice would write every file twice.
  for (const name of new Set(flag.split(',').map((s) => s.trim()).filter(Boolean))) {
    const b = findBackend(name);
    if (b) targets.push(b);
    else diagnostics.push(sourceless('unknown-target', `unknown target "${name}"; known targets: ${backends.map((x) => x.name).join(', ')}`));
  }
  return { targets, diagnostics };
}

/** No `--target`, or `--target all`: every target that has something to compile. */
export function allTargets(flag: string | undefined): flag is undefined | '' | 'all' {
  return flag === undefined || flag === '' || flag === 'all';
}

/**
 * Every `--option` key a backend reads. The backends read their options from a plain record, so a
 * misspelt key would be ignored without a word; the keys are their own constants, collected here.
 * A new backend option must be added to this list.
 */
export const KNOWN_OPTION_KEYS: readonly string[] = [...new Set([...Object.values(PROMETHEUS_OPTION_KEYS), LAYOUTS_OPTION, ...Object.values(DATADOG_OPTION_KEYS), KIBANA_OPTION])];

/** `--option key=value` pairs (repeatable) plus dedicated flags, into the backends' options. */
export function backendOptions(pairs: readonly string[], extra: Record<string, string | undefined>): { options: BackendOptions; diagnostics: Diagnostic[] } {
  const options: Record<string, string | undefined> = {};
  const diagnostics: Diagnostic[] = [];
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    const key = pair.slice(0, i);
    if (i <= 0) diagnostics.push(sourceless('bad-option', `--option takes key=value, got "${pair}"`));
    else if (!KNOWN_OPTION_KEYS.includes(key)) diagnostics.push(unknownOption(key));
    else options[key] = pair.slice(i + 1);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) options[k] = v;
  return { options, diagnostics };
}

function unknownOption(key: string): Diagnostic {
  const guess = closest(key, KNOWN_OPTION_KEYS);
  const hint = guess !== undefined ? `; did you mean "${guess}"?` : `; known keys: ${KNOWN_OPTION_KEYS.join(', ')}`;
  return sourceless('unknown-option', `unknown --option key "${key}"${hint}`);
}

/** A flag that takes a base URL, named as the user typed it (not as the backend option it becomes). */
export function checkUrlFlag(flag: string, value: string | undefined, example: string): Diagnostic[] {
  if (value === undefined || parseBaseUrl(value) !== undefined) return [];
  return [sourceless('bad-flag', `${flag} must be an http(s) URL without query or fragment, such as ${example}, got "${value}"`)];
}
