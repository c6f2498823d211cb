import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/validate/rules/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rulesDir = path.join(repoRoot, 'src', 'validate', 'rules');
/** Modules in rules/ that are helpers, not rules. */
const HELPERS = ['index.ts', 'spec-walk.ts', 'promql.ts', 'promql-regex.ts', 're2.ts', 'datadog-query.ts'];

describe('the rule list', () => {
  it('registers every rule module exactly once', async () => {
    const modules = readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && !HELPERS.includes(f));
    const exported = [];
    for (const m of modules) {
      const mod = (await import(path.join(rulesDir, m))) as Record<string, unknown>;
      exported.push(...Object.values(mod).filter((v) => rules.includes(v as never)));
    }
    expect(exported).toHaveLength(rules.length);
    expect(modules).toHaveLength(rules.length);
  });

  it('has unique rule names', () => {
    const codes = rules.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('documents every code the loader, the schema check and the rules emit in docs/validation.md', () => {
    const sources = [
      ...readdirSync(rulesDir).map((f) => path.join(rulesDir, f)),
      path.join(repoRoot, 'src', 'spec', 'load.ts'),
      path.join(repoRoot, 'src', 'spec', 'schema.ts'),
    ];
    const codes = new Set<string>();
    for (const file of sources) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:error|warning)\(\s*'([a-z0-9-]+)'/g)) codes.add(m[1]!);
    }
    for (const m of readFileSync(path.join(repoRoot, 'src', 'spec', 'load.ts'), 'utf8').matchAll(/return '(yaml-[a-z-]+)'/g)) codes.add(m[1]!);
    expect(codes.size).toBeGreaterThan(30);
    const doc = readFileSync(path.join(repoRoot, 'docs', 'validation.md'), 'utf8');
    const undocumented = [...codes].filter((c) => !doc.includes(`\`${c}\``));
    expect(undocumented).toEqual([]);
  });
});
