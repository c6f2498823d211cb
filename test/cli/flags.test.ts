/**
 * Flags the user mistyped are errors, named as typed, never silently ignored; help shows the real
 * defaults; `slo` alone is a usage error; CI annotations come with every output format.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_OPTION_KEYS } from '../../src/cli/options.js';
import { scratchProject, slo, snapshotTree } from './helpers.js';

describe('--option', () => {
  it('rejects an unknown key with a did-you-mean, building nothing', () => {
    const dir = scratchProject();
    const r = slo(['build', '--option', 'elastic-kibna=off'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: unknown --option key "elastic-kibna"; did you mean "elastic-kibana"? [unknown-option]');
    expect(r.stderr).toContain('Build failed; nothing was written.');
  });

  it('lists the known keys when nothing is close', () => {
    const r = slo(['build', '--option', 'foo=bar'], scratchProject());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: unknown --option key "foo"; known keys: ${KNOWN_OPTION_KEYS.join(', ')} [unknown-option]`);
  });

  it('knows the key of every backend', () => {
    expect(KNOWN_OPTION_KEYS).toEqual(expect.arrayContaining(['prometheus-format', 'grafana-url', 'grafana-dashboards', 'datadog-app-url', 'elastic-kibana']));
  });

  it('still takes a known key', () => {
    const r = slo(['build', '--target', 'elastic', '--option', 'elastic-kibana=off'], scratchProject());
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('dedicated flags', () => {
  it('names --grafana-url as typed when its value is not a URL', () => {
    const r = slo(['build', '--grafana-url', 'notaurl'], scratchProject());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --grafana-url must be an http(s) URL without query or fragment, such as https://grafana.example.com, got "notaurl" [bad-flag]');
    expect(r.stderr).not.toContain('--option');
  });

  it('refuses a --grafana-url with a query, which the dashboard path appended to it would break', () => {
    const r = slo(['build', '--grafana-url', 'https://grafana.example.com/?orgId=2'], scratchProject());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('got "https://grafana.example.com/?orgId=2" [bad-flag]');
  });

  it('slo plan takes the Grafana URL for alert links from slo.config.yaml as the config accepted it', () => {
    const dir = scratchProject();
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(path.join(dir, 'slo.config.yaml'), 'prometheus: { rulesDir: rules }\ngrafana: { url: "HTTPS://Grafana.example.com/" }\n');
    const r = slo(['plan', '--target', 'prometheus', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('error');
    expect(r.stdout).toContain('HTTPS://Grafana.example.com/d/slo-');
  });

  it.each([['validate'], ['build'], ['test']])('slo %s --templates with a missing folder is an error', (cmd) => {
    const dir = scratchProject();
    writeFileSync(path.join(dir, 'afile'), '');
    const r = slo([cmd, '--templates', 'nonexistent', '--templates', 'afile'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --templates nonexistent: no such folder [templates-not-found]');
    expect(r.stderr).toContain('error: --templates afile is a file; give the folder that holds the SLI templates [templates-not-found]');
  });

  it('a file named sli-templates (the default folder) is passed over, not an error', () => {
    const dir = scratchProject();
    writeFileSync(path.join(dir, 'sli-templates'), '');
    expect(slo(['validate'], dir).code).toBe(0);
  });
});

describe('path flags', () => {
  it.each([
    [['build', '--out', ''], 'build (or . for the current folder)'],
    [['plan', '--out', ''], 'plan.json'],
    [['report', '--out', ''], 'slo-report.md'],
    [['import', 'slos', '--out', ''], 'slos (or . for the current folder)'],
    [['init', 'x', '--dir', ''], 'slos (or . for the current folder)'],
    [['test', '--keep', ''], 'promtool-tests'],
  ])('slo %j is refused, writing nothing (an empty path would be the current folder)', (args, example) => {
    const dir = scratchProject();
    const before = snapshotTree(dir);
    const r = slo(args, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: option '[^']*${args.at(-2)} <(dir|file)>' argument '' is invalid\\. an empty path names nothing; give one, such as ${example.replace(/[.()]/g, '\\$&')}$`, 'm'));
    expect(r.stderr).not.toContain('bug in slo');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--out= (empty after =) is refused too', () => {
    const r = slo(['build', '--out='], scratchProject());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("argument '' is invalid");
  });
});

describe('help', () => {
  it.each([['validate'], ['build'], ['test'], ['plan'], ['report']])('slo %s --help shows the real default of the paths', (cmd) => {
    const r = slo([cmd, '--help'], scratchProject(false));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/paths +spec files or directories \(default:[^)]*slos\/\)/);
    expect(r.stdout).not.toContain('(default: [])');
  });

  it('slo without a command prints the help on stderr and exits 1; slo help exits 0', () => {
    const r = slo([], scratchProject(false));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: slo [options] [command]');
    expect(slo(['help'], scratchProject(false)).code).toBe(0);
  });
});

describe('GitHub Actions annotations', () => {
  it('come on stderr with --format json, stdout staying one JSON document', () => {
    const dir = scratchProject(false);
    mkdirSync(path.join(dir, 'slos'));
    writeFileSync(path.join(dir, 'slos', 'bad.yaml'), 'apiVersion: slo/v1\nkind: Service\nmetadata: {name: x, team: t}\nslos: []\n');
    for (const cmd of ['validate', 'build']) {
      const r = slo([cmd, '--format', 'json'], dir, { GITHUB_ACTIONS: 'true' });
      expect(r.code).toBe(1);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect(r.stderr).toMatch(/^::error file=slos\/bad\.yaml,line=4,col=7,endLine=4,endColumn=9,title=schema-min-items::slos /m);
    }
  });
});
