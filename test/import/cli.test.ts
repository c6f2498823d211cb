/**
 * `slo import --out DIR`: existing files are kept unless --force, and two inputs that convert to one
 * service are an error before anything is written.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, slo } from '../cli/helpers.js';

const SLOTH = path.join(import.meta.dirname, '..', 'golden', 'sloth-specs-alert-like-sloth', 'in', 'myservice.yaml');

function project(): string {
  const dir = scratchProject(false);
  copyFileSync(SLOTH, path.join(dir, 'a.yaml'));
  copyFileSync(SLOTH, path.join(dir, 'b.yaml'));
  return dir;
}

describe('slo import --out', () => {
  it('refuses to overwrite an existing file without --force', () => {
    const dir = project();
    mkdirSync(path.join(dir, 'slos'));
    writeFileSync(path.join(dir, 'slos', 'myservice.yaml'), '# hand-written\n');
    const r = slo(['import', 'a.yaml', '--out', 'slos'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: slos/myservice.yaml already exists; use --force to overwrite it [file-exists]');
    expect(readFileSync(path.join(dir, 'slos', 'myservice.yaml'), 'utf8')).toBe('# hand-written\n');

    const forced = slo(['import', 'a.yaml', '--out', 'slos', '--force'], dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'slos', 'myservice.yaml'), 'utf8')).toContain('Converted by `slo import`');
  });

  it('reports two inputs converting to one file as an error, writing nothing', () => {
    const dir = project();
    const r = slo(['import', 'a.yaml', 'b.yaml', '--out', 'dup'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: a.yaml and b.yaml both convert to the service "myservice", written to dup/myservice.yaml; rename one of the services or import them into different folders [import-same-output]');
    expect(r.stderr).not.toContain('Wrote');
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  it('creates the folder and writes each service once', () => {
    const dir = project();
    const r = slo(['import', 'a.yaml', '--out', 'new/slos'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe('Wrote new/slos/myservice.yaml (from a.yaml).');
    expect(readdirSync(path.join(dir, 'new', 'slos'))).toEqual(['myservice.yaml']);
  });
});
