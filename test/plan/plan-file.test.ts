import { describe, expect, it } from 'vitest';
import { looksLikePlan, parsePlan, serializePlan } from '../../src/plan/plan-file.js';
import { emptyPlan, samplePlan } from './sample-plan.js';

describe('plan files', () => {
  it('round-trips: what plan --out writes, apply reads back identically', () => {
    for (const plan of [samplePlan(), emptyPlan()]) {
      const parsed = parsePlan('plan.json', serializePlan(plan));
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.value).toEqual(plan);
    }
  });

  it('carries pending provider steps, and reads back a plan file from before they existed', () => {
    const pending = [{ backend: 'prometheus', action: 'reload rules', reason: 'an earlier apply wrote rule files, but Prometheus did not reload them: HTTP 500' }];
    const plan = { ...emptyPlan(), pending };
    const parsed = parsePlan('plan.json', serializePlan(plan));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual(plan);
    // Nothing pending: no member, so the file is what earlier versions wrote and read.
    expect(serializePlan(emptyPlan())).not.toContain('pending');
  });

  it('refuses malformed pending steps', () => {
    for (const pending of [[{ backend: 'prometheus', action: 'reload rules' }], [], [{ backend: 'prometheus', action: 'reload rules', reason: 'x', extra: 1 }]]) {
      const text = JSON.stringify({ ...JSON.parse(serializePlan(emptyPlan())), pending });
      expect(parsePlan('p.json', text).diagnostics.map((d) => d.code)).toEqual(['plan-invalid']);
    }
  });

  it('serialises deterministically', () => {
    expect(serializePlan(samplePlan())).toBe(serializePlan(samplePlan()));
  });

  it('refuses another version with that reason', () => {
    const text = serializePlan({ ...samplePlan(), version: 2 as 1 });
    expect(parsePlan('p.json', text).diagnostics.map((d) => d.code)).toEqual(['plan-version']);
  });

  it('refuses a document that does not match the schema', () => {
    const plan = JSON.parse(serializePlan(samplePlan())) as { changes: { action: string }[] };
    plan.changes[0]!.action = 'replace';
    expect(parsePlan('p.json', JSON.stringify(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-invalid']);
  });

  it('refuses an update without its before object', () => {
    const plan = JSON.parse(serializePlan(samplePlan())) as { changes: { action: string; before?: unknown }[] };
    delete plan.changes.find((c) => c.action === 'update')!.before;
    expect(parsePlan('p.json', JSON.stringify(plan)).diagnostics.map((d) => d.code)).toEqual(['plan-invalid']);
  });

  it('refuses a hand-edited plan whose summary no longer matches its changes', () => {
    const plan = JSON.parse(serializePlan(samplePlan())) as { changes: { action: string }[] };
    plan.changes = plan.changes.filter((c) => c.action !== 'delete');
    const ds = parsePlan('p.json', JSON.stringify(plan)).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(['plan-invalid']);
    expect(ds[0]!.summary).toContain('was edited');
  });

  it('refuses a plan whose resource bodies were edited: what is applied is what was reviewed', () => {
    const text = serializePlan(samplePlan());
    const plan = JSON.parse(text) as { changes: { action: string; after?: { body: unknown } }[] };
    const update = plan.changes.find((c) => c.action === 'update')!;
    update.after!.body = { ...(update.after!.body as object), edited: true };
    const ds = parsePlan('p.json', JSON.stringify(plan)).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(['plan-invalid']);
    expect(ds[0]!.summary).toBe('p.json was edited since slo plan wrote it (its checksum does not match). Run slo plan again.');
    // Without the checksum at all: refused too.
    const { checksum, ...bare } = JSON.parse(text) as Record<string, unknown>;
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(parsePlan('p.json', JSON.stringify(bare)).diagnostics[0]!.summary).toContain('has no checksum');
    // Reformatting is not an edit: the checksum is over the canonical JSON.
    expect(parsePlan('p.json', JSON.stringify(JSON.parse(text))).diagnostics).toEqual([]);
  });

  it('tells a plan from other JSON', () => {
    expect(looksLikePlan(serializePlan(samplePlan()))).toBe(true);
    expect(looksLikePlan('{"apiVersion":"slo/v1"}')).toBe(false);
    expect(looksLikePlan('not json')).toBe(false);
  });

  it('holds no secret-looking header or key', () => {
    expect(serializePlan(samplePlan())).not.toMatch(/api[-_]?key|authorization|token|password/i);
  });
});
