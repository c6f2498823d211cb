/**
 * What the rules-directory provider tests share: a rule group as the compiler hands it to the provider,
 * and the provider on a folder, with retries that do not sleep.
 */
import type { Resource } from '../../src/backends/backend.js';
import { RulesDirProvider } from '../../src/providers/prometheus/rules-dir.js';

/** A rule group of `service` named `name`; one recording rule unless `rules` says otherwise. */
export function ruleGroup(service: string, name: string, rules: readonly Record<string, unknown>[] = [{ record: 'slo:x', expr: '1' }]): Resource {
  return { address: `prometheus/rule-group/${name}`, backend: 'prometheus', kind: 'rule-group', id: name, service, body: { name, rules } };
}

export function rulesDirProvider(dir: string, reloadUrl?: string): RulesDirProvider {
  return new RulesDirProvider({ rulesDir: dir, ...(reloadUrl !== undefined ? { reloadUrl } : {}) }, { timeoutMs: 2000 }, { sleep: async () => undefined });
}
