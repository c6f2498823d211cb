import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, slo } from './helpers.js';

describe('slo validate', () => {
  it('accepts the example specs and exits 0', () => {
    const r = slo(['validate'], scratchProject());
    expect(r.stderr).toMatch(/^Validated \d+ SLOs in 7 files: 0 errors, 0 warnings\.$/m);
    expect(r.code).toBe(0);
  });

  it('prints every error as path:line:col, all at once, and exits 1', () => {
    const dir = scratchProject(false);
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      ['apiVersion: slo/v1', 'kind: Service', 'metadata:', '  name: bad', '  team: t', 'slos:', '  - name: a', '    objectve: 99.9', '    window: 30days', '    sli: {}', ''].join('\n'),
    );
    const r = slo(['validate', 'bad.yaml'], dir);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('bad.yaml:'));
    expect(lines).toContain('bad.yaml:8:5: error: unknown key "objectve" in slos[0]; did you mean "objective"? [schema-unknown-key]');
    expect(lines.some((l) => l.startsWith('bad.yaml:9:13: error: slos[0].window must be a duration'))).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('gives the same errors as JSON with --format json', () => {
    const dir = scratchProject(false);
    writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: slo/v2\n');
    const r = slo(['validate', '--format', 'json', 'bad.yaml'], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { version: number; diagnostics: Array<{ code: string; file: string; line: number; column: number }> };
    expect(doc.version).toBe(1);
    expect(doc.diagnostics[0]).toMatchObject({ code: 'unknown-api-version', file: 'bad.yaml', line: 1, column: 13 });
  });

  it('adds GitHub annotations under GitHub Actions', () => {
    const dir = scratchProject(false);
    writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: slo/v1\nkind: Service\nmetadata: {name: x, team: t}\nslos: []\n');
    const r = slo(['validate', 'bad.yaml'], dir, { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=bad\.yaml,line=4,col=7,endLine=4,endColumn=9,title=schema-min-items::slos /m);
  });

  it('shows characters a terminal would hide or break the line on, escaped', () => {
    const dir = scratchProject(false);
    const spec = ['apiVersion: slo/v1', 'kind: Service', 'metadata: {name: x, team: t}', 'notifications: { page: ["pagerduty:x"] }', 'slos:', '  - name: a', '    objective\u200b: 99.9', ''].join('\n');
    writeFileSync(path.join(dir, 'bad.yaml'), spec);
    const r = slo(['validate', 'bad.yaml'], dir, { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.yaml:7:5: error: unknown key "objective\\u200B" in slos[0]; did you mean "objective"? [schema-unknown-key]');
    expect(r.stdout).toContain('unknown key "objective\\u200B" in slos[0]');
  });

  it('reports a missing path without a stack trace', () => {
    const r = slo(['validate', 'nope/'], scratchProject(false));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no such file or directory: nope/ [path-not-found]');
  });
});
