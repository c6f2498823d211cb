import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_HEADER } from '../../src/model/conventions.js';
import { scratchProject, slo, snapshotTree } from './helpers.js';

describe('slo build', () => {
  it('compiles the examples into build/, byte-identical on every run', () => {
    const dir = scratchProject();
    const first = slo(['build'], dir);
    expect(first.code, first.stderr).toBe(0);
    const a = snapshotTree(path.join(dir, 'build'));
    expect(Object.keys(a).length).toBeGreaterThan(0);
    const second = slo(['build'], dir);
    expect(second.code).toBe(0);
    expect(snapshotTree(path.join(dir, 'build'))).toEqual(a);
  });

  it('leaves the previous output untouched when the specs are invalid', () => {
    const dir = scratchProject();
    expect(slo(['build'], dir).code).toBe(0);
    const before = snapshotTree(path.join(dir, 'build'));
    writeFileSync(path.join(dir, 'slos', 'broken.yaml'), 'apiVersion: slo/v1\nkind: Service\n');
    const r = slo(['build'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Build failed; nothing was written.');
    expect(snapshotTree(path.join(dir, 'build'))).toEqual(before);
  });

  it('removes files of services that no longer exist, and keeps other targets\' folders', () => {
    const dir = scratchProject();
    mkdirSync(path.join(dir, 'build', 'prometheus'), { recursive: true });
    writeFileSync(path.join(dir, 'build', 'prometheus', 'gone.yaml'), `# ${GENERATED_HEADER}\nstale: true\n`);
    mkdirSync(path.join(dir, 'build', 'unrelated'), { recursive: true });
    writeFileSync(path.join(dir, 'build', 'unrelated', 'keep.txt'), 'mine');
    expect(slo(['build', '--target', 'prometheus'], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'build', 'prometheus', 'gone.yaml'))).toBe(false);
    expect(existsSync(path.join(dir, 'build', 'unrelated', 'keep.txt'))).toBe(true);
    expect(snapshotTree(path.join(dir, 'build'))).not.toHaveProperty(['.slo-build']);
  });

  it('empties the folder of a target that no longer has anything to compile, without --target', () => {
    const dir = scratchProject();
    expect(slo(['build'], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'build', 'datadog', 'payments-gateway.json'))).toBe(true);
    // Only Prometheus sources left: Datadog and Elastic have nothing to compile any more.
    for (const f of ['checkout.yaml', 'payments-gateway.yaml', 'search.yaml']) rmSync(path.join(dir, 'slos', f));
    const r = slo(['build'], dir);
    expect(r.code, r.stderr).toBe(0);
    const files = Object.keys(snapshotTree(path.join(dir, 'build')));
    expect(files.filter((f) => f.startsWith('datadog/') || f.startsWith('elastic/'))).toEqual([]);
    expect(files).toContain('prometheus/catalog-api.yaml');
    expect(r.stderr).toMatch(/datadog +0 files/);
    // A target that never had output gets no folder.
    const fresh = scratchProject();
    for (const f of ['checkout.yaml', 'payments-gateway.yaml', 'search.yaml']) rmSync(path.join(fresh, 'slos', f));
    expect(slo(['build'], fresh).code).toBe(0);
    expect(existsSync(path.join(fresh, 'build', 'datadog'))).toBe(false);
  });

  it('refuses to delete a file slo did not write, naming it, and changes nothing', () => {
    const dir = scratchProject();
    expect(slo(['build', '--out', 'deploy/'], dir).code).toBe(0);
    writeFileSync(path.join(dir, 'deploy', 'prometheus', 'extra-rules.yaml'), 'groups: []\n');
    const before = snapshotTree(path.join(dir, 'deploy'));
    const r = slo(['build', '--out', 'deploy/'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: deploy/prometheus/extra-rules.yaml was not written by slo; slo replaces the whole prometheus/ folder of deploy/: move the file elsewhere or delete it [output-not-generated]');
    expect(snapshotTree(path.join(dir, 'deploy'))).toEqual(before);
    // Only the folders being replaced are checked.
    expect(slo(['build', '--out', 'deploy/', '--target', 'grafana'], dir).code).toBe(0);
  });

  it('builds each target once when it is named twice', () => {
    const dir = scratchProject();
    const r = slo(['build', '--target', 'prometheus,prometheus'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Built \d+ files for 1 target into build\/\.$/m);
  });

  it('slo validate checks a target named twice once, printing each warning once', () => {
    const dir = scratchProject();
    const once = slo(['validate', '--target', 'prometheus'], dir);
    const twice = slo(['validate', '--target', 'prometheus,prometheus'], dir);
    expect(twice.code).toBe(0);
    expect(once.stderr).toMatch(/[1-9]\d* warnings?\.$/m);
    expect(twice.stderr).toBe(once.stderr);
  });

  it('rejects an unknown target', () => {
    const r = slo(['build', '--target', 'prometheus,nagios'], scratchProject());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown target "nagios"');
  });
});

describe('slo init', () => {
  it('writes a commented starter spec that validates', () => {
    const dir = scratchProject(false);
    const r = slo(['init', 'billing', '--team', 'finance'], dir);
    expect(r.code, r.stderr).toBe(0);
    const v = slo(['validate'], dir);
    expect(v.stderr).toContain('0 errors');
    expect(v.code).toBe(0);
    expect(slo(['init', 'billing'], dir).code).toBe(1); // refuses to overwrite
  });
});

describe('help', () => {
  it.each([[[]], [['validate']], [['build']], [['init']], [['import']], [['test']]])('slo %j --help shows examples', (cmd) => {
    const r = slo([...cmd, '--help'], scratchProject(false));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });
});
