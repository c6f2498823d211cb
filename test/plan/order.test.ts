import { describe, expect, it } from 'vitest';
import { executionSteps, orderChanges, type KindRank } from '../../src/plan/order.js';
import type { Change } from '../../src/plan/types.js';
import { thing } from '../fakes/memory-provider.js';

// Datadog-like: an SLO first, then the monitor that refers to it, then the dashboard.
const rank: KindRank = (_b, kind) => ['slo', 'monitor', 'dashboard'].indexOf(kind);

const create = (kind: string, id: string, refs?: string[]): Change => ({ address: `dd/${kind}/${id}`, action: 'create', after: thing('dd', kind, id, {}, refs), fields: [], fingerprint: null });
const del = (kind: string, id: string, refs?: string[]): Change => ({ address: `dd/${kind}/${id}`, action: 'delete', before: thing('dd', kind, id, {}, refs), fields: [], fingerprint: 'f' });
const noop = (kind: string, id: string): Change => ({ address: `dd/${kind}/${id}`, action: 'no-op', fields: [], fingerprint: 'f' });
const addrs = (cs: Change[]) => cs.map((c) => c.address);

describe('orderChanges', () => {
  it('creates what others refer to first: by kind rank', () => {
    const out = orderChanges([create('dashboard', 'd'), create('monitor', 'm'), create('slo', 's')], rank);
    expect(addrs(out)).toEqual(['dd/slo/s', 'dd/monitor/m', 'dd/dashboard/d']);
  });

  it('inside one kind, follows refs (a composite monitor after the monitors it combines)', () => {
    const out = orderChanges([create('monitor', 'a-composite', ['dd/monitor/z-fast', 'dd/monitor/y-slow']), create('monitor', 'y-slow'), create('monitor', 'z-fast')], rank);
    expect(addrs(out)).toEqual(['dd/monitor/y-slow', 'dd/monitor/z-fast', 'dd/monitor/a-composite']);
  });

  it('deletes in reverse: the monitor before the SLO it refers to, and after all creates', () => {
    const out = orderChanges([del('slo', 's'), del('monitor', 'm', ['dd/slo/s']), create('slo', 'new')], rank);
    expect(addrs(out)).toEqual(['dd/slo/new', 'dd/monitor/m', 'dd/slo/s']);
  });

  it('deletes inside one kind follow refs in reverse', () => {
    const out = orderChanges([del('monitor', 'a'), del('monitor', 'b-composite', ['dd/monitor/a'])], rank);
    expect(addrs(out)).toEqual(['dd/monitor/b-composite', 'dd/monitor/a']);
  });

  it('puts no-ops last and breaks ties by address, whatever the input order', () => {
    const input = [noop('slo', 'b'), create('slo', 'z'), create('slo', 'a'), noop('slo', 'a0')];
    expect(addrs(orderChanges(input, rank))).toEqual(['dd/slo/a', 'dd/slo/z', 'dd/slo/a0', 'dd/slo/b']);
    expect(addrs(orderChanges([...input].reverse(), rank))).toEqual(addrs(orderChanges(input, rank)));
  });

  it('ignores refs to objects outside the plan', () => {
    expect(addrs(orderChanges([create('monitor', 'm', ['dd/slo/existing'])], rank))).toEqual(['dd/monitor/m']);
  });

  it('reports a ref cycle as a bug', () => {
    expect(() => orderChanges([create('monitor', 'a', ['dd/monitor/b']), create('monitor', 'b', ['dd/monitor/a'])], rank)).toThrow(/cycle/);
  });

  it('groups steps by rank: creates ascending, then deletes descending', () => {
    const steps = executionSteps([del('slo', 'old'), create('monitor', 'm'), create('slo', 's'), del('monitor', 'oldm')], rank);
    expect(steps.map(addrs)).toEqual([['dd/slo/s'], ['dd/monitor/m'], ['dd/monitor/oldm'], ['dd/slo/old']]);
  });

  it('orders thousands of changes quickly', () => {
    const many = Array.from({ length: 5000 }, (_, i) => create('slo', `s${String(i).padStart(5, '0')}`));
    const t = performance.now();
    expect(orderChanges(many.reverse(), rank)).toHaveLength(5000);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
