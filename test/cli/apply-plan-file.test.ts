/**
 * `slo apply <plan.json>` with a plan file that is not one: said as a problem with the plan file, never
 * as spec errors about JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, slo } from './helpers.js';

function project(): string {
  const dir = scratchProject();
  writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus:\n  rulesDir: rules\n');
  const r = slo(['plan', '--target', 'prometheus', '--out', 'plan.json'], dir);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('slo apply with a bad plan file', () => {
  it('says a truncated plan is not a valid plan file, in one line, also without the .json name', () => {
    const dir = project();
    const truncated = readFileSync(path.join(dir, 'plan.json'), 'utf8').slice(0, 100);
    writeFileSync(path.join(dir, 'cut.json'), truncated);
    writeFileSync(path.join(dir, 'cut'), truncated);
    for (const file of ['cut.json', 'cut']) {
      const r = slo(['apply', file, '--auto-approve'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^error: ${file} is not a valid plan file: it is not complete JSON \\(.*\\); save one with slo plan --out ${file} \\[plan-invalid\\]$`))]);
    }
  });

  it('says {} is not a plan', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'empty.json'), '{}\n');
    const r = slo(['apply', 'empty.json', '--auto-approve'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: empty.json is not a valid plan file: it is JSON, but not a plan written by slo plan --out (no "version" and "changes"); save one with slo plan --out empty.json [plan-invalid]');
    expect(r.stderr).not.toContain('apiVersion');
  });

  it('refuses a plan together with spec paths', () => {
    const r = slo(['apply', 'plan.json', 'slos', '--auto-approve'], project());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: a saved plan cannot be combined with spec paths: run slo apply plan.json alone, or slo apply with the spec paths to plan afresh [plan-with-paths]');
    expect(r.stderr).not.toContain('unknown apiVersion');
  });

  it('says a missing plan file is missing', () => {
    const r = slo(['apply', 'nope.json', '--auto-approve'], project());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: nope.json is not a valid plan file: no such file [plan-invalid]');
  });

  it('still applies a good one', () => {
    const r = slo(['apply', 'plan.json', '--auto-approve'], project());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete:');
  });
});
