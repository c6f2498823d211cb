/**
 * `slo apply <plan.json>` with a plan file that is not one: said as a problem with the plan file, never
 * as spec errors about JSON.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

  it('takes a JSON file that is not a plan for a spec, never hinting to overwrite it with a plan', () => {
    const dir = project();
    writeFileSync(path.join(dir, 'empty.json'), '{}\n');
    const r = slo(['apply', 'empty.json', '--auto-approve'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('empty.json:1:1: error: missing apiVersion');
    expect(r.stderr).not.toContain('plan-invalid');
    expect(r.stderr).not.toContain('slo plan --out');
    expect(readFileSync(path.join(dir, 'empty.json'), 'utf8')).toBe('{}\n');
  });

  it('plans and applies a spec written as JSON (slo apply checkout.json)', () => {
    const dir = project();
    const spec = JSON.stringify(parse(readFileSync(path.join(dir, 'slos', 'checkout.yaml'), 'utf8')), null, 2);
    writeFileSync(path.join(dir, 'checkout.json'), spec);
    const r = slo(['apply', 'checkout.json', '--target', 'prometheus', '--auto-approve'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+ created   prometheus/rule-group/slo-checkout-availability');
    expect(readdirSync(path.join(dir, 'rules'))).toEqual(['slo-checkout.rules.yaml']);
    expect(readFileSync(path.join(dir, 'checkout.json'), 'utf8')).toBe(spec);
  });

  it('refuses a plan together with spec paths', () => {
    const r = slo(['apply', 'plan.json', 'slos', '--auto-approve'], project());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: a saved plan cannot be combined with spec paths: run slo apply plan.json alone, or slo apply with the spec paths to plan afresh [plan-with-paths]');
    expect(r.stderr).not.toContain('unknown apiVersion');
  });

  it('says a missing .json path is missing, as for any spec path', () => {
    const r = slo(['apply', 'nope.json', '--auto-approve'], project());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no such file or directory: nope.json [path-not-found]');
  });

  it('still applies a good one', () => {
    const r = slo(['apply', 'plan.json', '--auto-approve'], project());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete:');
  });
});
