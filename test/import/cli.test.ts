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

  it('reports two inputs converting to one service as an error, writing nothing', () => {
    const dir = project();
    const r = slo(['import', 'a.yaml', 'b.yaml', '--out', 'dup'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('b.yaml:3:10: error: service "myservice" is already defined in a.yaml [duplicate-service]');
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

  it('writes nothing when a converted spec would not validate, and says why at the original file', () => {
    const dir = scratchProject(false);
    const slos = (name: string) => `  - name: "${name}"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(x{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(x[{{.window}}]))
`;
    writeFileSync(path.join(dir, 'svc.yml'), `version: "prometheus/v1"\nservice: svc\nlabels: { team: a }\nslos:\n${slos('a_b')}${slos('a-b')}`);
    const r = slo(['import', 'svc.yml', '--out', 'slos'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('svc.yml:5:11: warning: Sloth SLO name "a_b" is imported as "a-b"');
    expect(r.stderr).toContain('svc.yml:11:11: error: SLO "a-b" is already defined in this service (slos[0]) [duplicate-slo]');
    expect(readdirSync(dir)).toEqual(['svc.yml']);
  });
});
