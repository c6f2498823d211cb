/**
 * A second opinion on the generated rules: VictoriaMetrics' vmalert (Debian's victoria-metrics package)
 * parses every rule file with its own MetricsQL parser and checks the annotation templates
 * (`vmalert -dryRun`). Users who run vmalert or VictoriaMetrics' ruler load the same files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutputFile } from '../../src/backends/backend.js';
import { prometheus } from '../../src/backends/prometheus/index.js';
import { EXAMPLES, ROOT, loadSpecs } from './helpers.js';

const VMALERT = 'vmalert';
const hasVmalert = spawnSync(VMALERT, ['-version'], { stdio: 'ignore' }).error === undefined;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes the rule files (not kustomization.yaml) to a fresh folder and runs vmalert -dryRun over them. */
function dryRun(files: readonly OutputFile[]): { status: number | null; output: string; count: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-vmalert-'));
  dirs.push(dir);
  const rules = files.filter((f) => f.path.endsWith('.rules.yaml'));
  for (const f of rules) writeFileSync(path.join(dir, path.basename(f.path)), f.content);
  const r = spawnSync(VMALERT, ['-dryRun', `-rule=${dir}/*.yaml`, '-loggerLevel=ERROR'], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}`, count: rules.length };
}

// Without vmalert (Debian package victoria-metrics, which .ci/run installs) this block is skipped.
describe.skipIf(!hasVmalert)('vmalert -dryRun accepts the generated rules', () => {
  it('the examples', async () => {
    const run = dryRun(prometheus.compile(await loadSpecs(EXAMPLES), { 'prometheus-format': 'rules' }).files);
    expect(run.count).toBeGreaterThan(0);
    expect(run, run.output).toMatchObject({ status: 0 });
  });

  it('every golden case (custom windows, quiet-service guards, Sloth and OpenSLO imports)', async () => {
    const golden = path.join(ROOT, 'test', 'golden');
    let checked = 0;
    for (const name of readdirSync(golden).filter((n) => existsSync(path.join(golden, n, 'in')))) {
      const files = prometheus.compile(await loadSpecs(path.join(golden, name, 'in')), { 'prometheus-format': 'rules' }).files;
      if (!files.some((f) => f.path.endsWith('.rules.yaml'))) continue;
      const run = dryRun(files);
      expect(run.status, `${name}: ${run.output}`).toBe(0);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3); // the examples, the Prometheus golden case, the Sloth import
  });

  it('fails on a broken expression and on a broken annotation template (so the check can fail)', () => {
    const broken = dryRun([{ path: 'a.rules.yaml', content: 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: sum(rate(x[5m])\n' }]);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toMatch(/invalid expression/);
    const template = dryRun([
      { path: 'b.rules.yaml', content: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          summary: "{{ $labels.job "\n' },
    ]);
    expect(template.status).not.toBe(0);
  });
});

