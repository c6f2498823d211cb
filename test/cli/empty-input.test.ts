/**
 * Commands given nothing to work on fail and say so, instead of succeeding over nothing: no spec files,
 * no SLO `slo test` can prove.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, slo } from './helpers.js';

const NO_SPECS = (where: string) => `error: no spec files found under ${where}: expected *.yaml files with apiVersion: slo/v1 (or OpenSLO, Sloth); write one with slo init NAME [no-specs]`;

function emptyProject(): string {
  const dir = scratchProject(false);
  mkdirSync(path.join(dir, 'emptydir'));
  mkdirSync(path.join(dir, 'slos'));
  mkdirSync(path.join(dir, 'rules'));
  writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus:\n  rulesDir: rules\n');
  return dir;
}

describe('no spec files', () => {
  it.each([
    [['validate', 'emptydir'], 'emptydir'],
    [['build', 'emptydir'], 'emptydir'],
    [['validate'], 'slos'],
    [['build'], 'slos'],
    [['test'], 'slos'],
    [['plan', 'emptydir'], 'emptydir'],
    [['apply', '--auto-approve'], 'slos'],
    [['report', '--prometheus-url', 'http://127.0.0.1:9'], 'slos'],
  ])('slo %j is an error', (args, where) => {
    const r = slo(args, emptyProject());
    expect(r.stderr).toContain(NO_SPECS(where));
    expect(r.code).toBe(1);
  });

  it('is said as JSON with --format json', () => {
    const r = slo(['validate', '--format', 'json', 'emptydir'], emptyProject());
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ diagnostics: [{ code: 'no-specs' }] });
  });

  it('is the error of slo plan --prune over an empty slos/, not "no provider configured"', () => {
    const r = slo(['plan', '--prune'], emptyProject());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(NO_SPECS('slos'));
    expect(r.stderr).not.toContain('nothing-to-plan');
  });
});

describe('slo test with nothing to test', () => {
  it('fails when no SLO has a Prometheus SLI', () => {
    const r = slo(['test', 'slos/search.yaml'], scratchProject());
    expect(r.stderr).toContain('error: nothing to test under slos/search.yaml: no SLO there has a Prometheus SLI; slo test proves the Prometheus output only [nothing-to-test]');
    expect(r.stderr).not.toContain('OK:');
    expect(r.code).toBe(1);
  });
});
