/**
 * Paths the user names for output (--out, --dir, --keep) that cannot be used: a file where a folder
 * goes, a folder where a file goes, a place the system refuses. Each is a one-line error naming the
 * path and what to do, exit 1, never "a bug in slo"; nothing is half-written and no temporary file stays.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, slo, snapshotTree, type CliResult } from './helpers.js';

/** A scratch project with the examples, a file named FILE, and a rules-directory provider for plan. */
function project(): string {
  const dir = scratchProject();
  writeFileSync(path.join(dir, 'FILE'), 'not a folder');
  mkdirSync(path.join(dir, 'rules'));
  writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus:\n  rulesDir: rules\n');
  return dir;
}

function expectUserError(r: CliResult, line: string): void {
  expect(r.stderr).not.toContain('bug in slo');
  expect(r.stderr.split('\n')).toContain(`error: ${line} [output-path]`);
  expect(r.code).toBe(1);
}

describe('output paths that cannot be used', () => {
  it.each([
    [['build', '--out', 'FILE'], 'FILE is a file, not a folder; choose another --out folder'],
    [['build', '--out', 'FILE/sub'], 'FILE is a file, not a folder; choose another --out folder'],
    [['init', 'x', '--dir', 'FILE'], 'FILE is a file, not a folder; choose another --dir'],
    [['test', '--keep', 'FILE'], 'FILE is a file, not a folder; choose another --keep folder'],
    [['plan', '--target', 'prometheus', '--out', 'slos'], 'slos is a folder, not a file; choose another --out file'],
    [['report', '--prometheus-url', 'http://127.0.0.1:9', '--out', 'slos'], 'slos is a folder, not a file; choose another --out file'],
  ])('slo %j', (args, line) => {
    const dir = project();
    const before = snapshotTree(dir);
    expectUserError(slo(args, dir), line);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('slo import --out FILE', () => {
    const dir = project();
    const input = path.join(import.meta.dirname, '..', 'golden', 'sloth-specs-alert-like-sloth', 'in', 'myservice.yaml');
    expectUserError(slo(['import', input, '--out', 'FILE/x'], dir), 'FILE is a file, not a folder; choose another --out folder');
  });

  it.skipIf(!existsSync('/sys/kernel'))('slo build --out a place the system refuses', () => {
    const dir = project();
    const r = slo(['build', '--out', '/sys/kernel/slo-build'], dir);
    // EPERM as root, EACCES otherwise: either way one line naming the path.
    expect(r.stderr).toMatch(/^error: .*\/sys\/kernel\/slo-build; choose another --out folder \[output-path\]$/m);
    expect(r.stderr).not.toContain('bug in slo');
    expect(r.code).toBe(1);
  });

  it.skipIf(!existsSync('/proc/self'))('slo init --dir under /proc: an error, not a spin at full CPU', () => {
    const r = slo(['init', 'x', '--dir', '/proc/slo-nope'], project());
    expectUserError(r, '/proc/slo-nope cannot be created there; choose another --dir');
  });

  it('slo plan --out creates missing folders, like report --out, and leaves no temporary file', () => {
    const dir = project();
    const r = slo(['plan', '--target', 'prometheus', '--out', 'plans/p.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'plans'))).toEqual(['p.json']);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('slo plan --target named twice plans each target once', () => {
    const r = slo(['plan', '--target', 'prometheus,prometheus'], project());
    expect(r.stderr).not.toContain('bug in slo');
    expect(r.code, r.stderr).toBe(0);
  });
});
