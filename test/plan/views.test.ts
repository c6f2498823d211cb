import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/plan/events.js';
import { ApplyProgress, applySummaryLine, formatApplyEvent, showApplyResult } from '../../src/views/apply.js';
import { orphanLine, pendingLine, planSummaryLine, renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../src/views/plan.js';
import { View } from '../../src/views/view.js';
import { emptyPlan, samplePlan } from './sample-plan.js';

function capture(env: Record<string, string> = {}, tty = false) {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean };
  const err = new PassThrough();
  out.isTTY = tty;
  let o = '';
  let e = '';
  out.on('data', (c) => (o += String(c)));
  err.on('data', (c) => (e += String(c)));
  return { view: new View({ out, err, env }), get out() { return o; }, get err() { return e; } };
}

describe('plan views', () => {
  it('text', async () => {
    await expect(renderPlanText(samplePlan())).toMatchFileSnapshot('__snapshots__/plan.txt');
  });

  it('markdown', async () => {
    await expect(renderPlanMarkdown(samplePlan())).toMatchFileSnapshot('__snapshots__/plan.md');
  });

  it('json', async () => {
    await expect(renderPlanJson(samplePlan())).toMatchFileSnapshot('__snapshots__/plan.json');
  });

  it('text without changes', async () => {
    await expect(renderPlanText(emptyPlan())).toMatchFileSnapshot('__snapshots__/plan-no-changes.txt');
  });

  it('markdown without changes', async () => {
    await expect(renderPlanMarkdown(emptyPlan())).toMatchFileSnapshot('__snapshots__/plan-no-changes.md');
  });

  // The summary strings are an API: CI scripts and PR bots match them.
  it('summary lines', () => {
    expect(planSummaryLine(samplePlan())).toBe('Plan: 1 to create, 1 to update, 1 to delete.');
    expect(planSummaryLine(emptyPlan())).toBe('No changes. Remote state matches the specs.');
    expect(orphanLine(samplePlan())).toBe('1 orphaned object (owned by slo, declared by no spec) would be deleted with --prune.');
    expect(orphanLine(emptyPlan())).toBeUndefined();
  });

  it('a plan whose only work is a pending reload is not "No changes", and shows the reload and why', async () => {
    const pending = [{ backend: 'prometheus', action: 'reload rules', reason: 'an earlier apply (2025-01-01T10:00:00.000Z) wrote rule files, but Prometheus did not reload them: HTTP 500' }];
    const plan = { ...emptyPlan(), pending };
    expect(planSummaryLine(plan)).toBe('Plan: 0 to create, 0 to update, 0 to delete.');
    expect(pendingLine(plan)).toBe('Pending from an earlier apply: prometheus: reload rules.');
    expect(pendingLine(emptyPlan())).toBeUndefined();
    await expect(renderPlanText(plan)).toMatchFileSnapshot('__snapshots__/plan-pending.txt');
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('| ~ | `prometheus` | reload rules (pending from an earlier apply) |');
    expect(md).toContain('! prometheus: reload rules');
    expect(md).not.toContain('No changes');
  });

  it('text shows field-level changes of an update, not the whole object', () => {
    const text = renderPlanText(samplePlan());
    expect(text).toContain('~ rules[1].for: "5m" → "2m"');
    expect(text).toContain('+ rules[1].labels.team: "payments"');
    expect(text).not.toContain('slo-search-availability');
  });
});

describe('apply views', () => {
  const events: ApplyEvent[] = [
    { type: 'created', address: 'prometheus/rule-group/slo-a' },
    { type: 'updated', address: 'prometheus/rule-group/slo-b' },
    { type: 'deleted', address: 'prometheus/rule-group/slo-c', detail: 'already gone' },
    { type: 'unchanged', address: 'prometheus/rule-group/slo-d' },
    { type: 'failed', address: 'prometheus/rule-group/slo-e', detail: 'POST http://mimir/prometheus/config/v1/rules/slo: HTTP 400: bad rule' },
  ];

  it('event lines', () => {
    expect(events.map(formatApplyEvent)).toEqual([
      '+ created   prometheus/rule-group/slo-a',
      '~ updated   prometheus/rule-group/slo-b',
      '- deleted   prometheus/rule-group/slo-c (already gone)',
      '  unchanged prometheus/rule-group/slo-d',
      '! failed    prometheus/rule-group/slo-e: POST http://mimir/prometheus/config/v1/rules/slo: HTTP 400: bad rule',
    ]);
  });

  it('summary lines', () => {
    expect(applySummaryLine({ created: 1, updated: 2, deleted: 3, unchanged: 4, settled: 0, failed: 0 })).toBe('Apply complete: 1 created, 2 updated, 3 deleted.');
    expect(applySummaryLine({ created: 1, updated: 0, deleted: 0, unchanged: 0, settled: 0, failed: 2 })).toBe('Apply failed: 2 failures; 1 created, 0 updated, 0 deleted.');
    expect(applySummaryLine({ created: 0, updated: 0, deleted: 0, unchanged: 0, settled: 0, failed: 1 })).toBe('Apply failed: 1 failure; 0 created, 0 updated, 0 deleted.');
  });

  it('prints plain lines in CI, without progress control characters, and skips unchanged objects', () => {
    const c = capture({ CI: 'true' }, true);
    const p = new ApplyProgress(c.view, 4);
    for (const e of events) p.record(e);
    p.end();
    expect(c.out).not.toContain('\r');
    expect(c.out).not.toContain('slo-d');
    expect(c.out.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('redraws a progress line on a terminal', () => {
    const c = capture({}, true);
    const p = new ApplyProgress(c.view, 4);
    for (const e of events) p.record(e);
    p.end();
    expect(c.out).toContain('Applying… 1/4');
    expect(c.out.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('lists every failure again at the end, on stderr', () => {
    const c = capture();
    showApplyResult(c.view, { created: 1, updated: 1, deleted: 1, unchanged: 1, failed: 1 }, events.filter((e) => e.type === 'failed'));
    expect(c.err).toContain('Failed:\n  prometheus/rule-group/slo-e: POST');
    expect(c.err).toContain('Apply failed: 1 failure; 1 created, 1 updated, 1 deleted.');
    expect(c.out).toBe('');
  });
});

describe('markdown size', () => {
  it('cuts the detailed diff of a huge plan to fit a pull-request comment, keeping the table', async () => {
    const { planFrom } = await import('../../src/plan/make-plan.js');
    const { group } = await import('./sample-plan.js');
    const provider = { backend: 'prometheus', endpoint: 'x', kinds: ['rule-group'] } as never;
    const desired = Array.from({ length: 400 }, (_, i) => group(`slo-s${i}`, `s${i}`, [{ record: 'r', expr: `sum(rate(x{i="${i}"}[5m])) / ${'1 + '.repeat(40)}1` }]));
    const md = renderPlanMarkdown(planFrom(desired, [], new Map([['prometheus', provider]]), { prune: false, allowMassDelete: false }).plan!);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('more changes not shown');
    expect(md).toContain('| | … and 250 more | |');
    expect(md).toContain('**Plan: 400 to create, 0 to update, 0 to delete.**');
  });

  it('cuts a single change too long for a comment (a new dashboard), and a long orphan list', async () => {
    const { planFrom } = await import('../../src/plan/make-plan.js');
    const { group } = await import('./sample-plan.js');
    const provider = { backend: 'prometheus', endpoint: 'x', kinds: ['rule-group'] } as never;
    const rules = Array.from({ length: 3000 }, (_, i) => ({ record: `r${i}`, expr: `sum(rate(x{i="${i}"}[5m]))` }));
    const huge = group('slo-huge', 'huge', rules);
    const orphans = Array.from({ length: 400 }, (_, i) => group(`slo-old-${i}`, `old-${i}`, [{ record: 'r', expr: 'x' }]));
    const md = renderPlanMarkdown(planFrom([huge], orphans, new Map([['prometheus', provider]]), { prune: false, allowMassDelete: false }).plan!);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('+ prometheus/rule-group/slo-huge');
    expect(md).toContain('# … the rest of this change is not shown: too long for a comment.');
    expect(md).not.toContain('more change');
    expect(md).toContain('<details><summary>Orphaned objects (400)</summary>');
    expect(md).toContain('- … and 250 more');
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
  });
});

describe('apply events', () => {
  it('shows a provider step owed by an earlier apply that ran now', () => {
    expect(formatApplyEvent({ type: 'settled', address: 'prometheus', detail: 'reload rules' })).toBe('~ settled   prometheus (reload rules)');
  });
});
