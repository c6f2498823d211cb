/**
 * The rule files slo writes into a Prometheus rules directory: one per service, `slo-<service>.rules.yaml`,
 * starting with the generated header and the ownership mark line. A file is slo's only if it has both the
 * name and the mark; any other file in the directory is never read for writing, rewritten or deleted.
 */
import { parseDocument } from 'yaml';
import { GENERATED_HEADER, MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../model/conventions.js';
import { toYaml } from '../../build/serialize.js';
import { isPlainObject } from '../../plan/canonical.js';
import { ProviderError } from '../errors.js';

export const RULE_FILE_PREFIX = 'slo-';
export const RULE_FILE_SUFFIX = '.rules.yaml';
export const OWNERSHIP_LINE = `# ${MANAGED_BY_KEY}: ${MANAGED_BY_VALUE}`;

const NAME_RE = /^slo-([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.rules\.yaml$/;

export function ruleFileName(service: string): string {
  return `${RULE_FILE_PREFIX}${service}${RULE_FILE_SUFFIX}`;
}

/** The service of a file name slo could have written, or undefined for any other name. */
export function serviceOfFileName(name: string): string | undefined {
  return NAME_RE.exec(name)?.[1];
}

/** True if the text carries the mark in its leading comment block (before any YAML content). */
export function hasOwnershipMark(text: string): boolean {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === OWNERSHIP_LINE) return true;
    if (t !== '' && !t.startsWith('#')) return false;
  }
  return false;
}

/** File content for a service's groups, sorted by name so the bytes do not depend on apply order. */
export function renderRuleFile(service: string, groups: readonly Record<string, unknown>[]): string {
  const sorted = [...groups].sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
  const body = toYaml({ groups: sorted }, { header: false });
  return [
    `# ${GENERATED_HEADER}`,
    OWNERSHIP_LINE,
    `# Written by \`slo apply\` for service ${service}. slo rewrites or deletes this file; it never touches other files here.`,
    body,
  ].join('\n');
}

/** The groups of a rule file (unnormalised). */
export function parseRuleFile(name: string, text: string): Record<string, unknown>[] {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ProviderError(`${name}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) return [];
  if (!isPlainObject(data) || (data['groups'] !== undefined && !Array.isArray(data['groups']))) {
    throw new ProviderError(`${name}: not a Prometheus rule file (expected a top-level "groups" list)`);
  }
  const groups = (data['groups'] ?? []) as unknown[];
  return groups.map((g, i) => {
    if (!isPlainObject(g)) throw new ProviderError(`${name}: group ${i + 1} is not a mapping`);
    return g;
  });
}
