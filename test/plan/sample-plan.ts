/** A hand-built plan covering every action, for view snapshots and plan-file tests. */
import { planFrom } from '../../src/plan/make-plan.js';
import type { OwnedResource, Plan } from '../../src/plan/types.js';
import type { Provider } from '../../src/providers/provider.js';

export function group(name: string, service: string, rules: Record<string, unknown>[], extra: Record<string, unknown> = {}, handle = `slo-${service}.rules.yaml`): OwnedResource {
  return { address: `prometheus/rule-group/${name}`, backend: 'prometheus', kind: 'rule-group', id: name, service, body: { name, ...extra, rules }, handle };
}

const ratio = (slo: string, window: string, metric = 'http_requests_total') => ({
  record: `slo:sli_error:ratio_rate${window}`,
  expr: `sum(rate(${metric}{job="checkout",code=~"5.."}[${window}]))\n/\nsum(rate(${metric}{job="checkout"}[${window}]))`,
  labels: { slo_id: `checkout/${slo}`, slo_service: 'checkout', slo_window: window },
});

export function samplePlan(): Plan {
  const desired = [
    group('slo-checkout-availability', 'checkout', [ratio('availability', '5m'), ratio('availability', '30m')], { interval: '1m' }),
    group('slo-checkout-latency', 'checkout', [ratio('latency', '5m', 'http_request_duration_seconds_count'), { alert: 'CheckoutLatencyBudgetBurn', expr: 'slo:sli_error:ratio_rate5m > 0.0144', for: '2m', labels: { severity: 'page', team: 'payments' } }]),
    group('slo-search-availability', 'search', [ratio('availability', '5m')]),
  ];
  const actual = [
    group('slo-checkout-latency', 'checkout', [ratio('latency', '5m'), { alert: 'CheckoutLatencyBudgetBurn', expr: 'slo:sli_error:ratio_rate5m > 0.0144', for: '5m', labels: { severity: 'page' } }]),
    group('slo-search-availability', 'search', [ratio('availability', '5m')]),
    group('slo-legacy-availability', 'legacy', [ratio('availability', '5m')]),
    group('slo-retired-latency', 'retired', [ratio('latency', '5m')]),
  ];
  const provider = { backend: 'prometheus', endpoint: 'rules directory /etc/prometheus/rules, reload http://127.0.0.1:9090/-/reload', kinds: ['rule-group'] } as unknown as Provider;
  // Prune only the legacy group: built from two diffs so that one orphan and one delete both show.
  const pruned = planFrom(desired, actual.filter((g) => g.id !== 'slo-retired-latency'), new Map([['prometheus', provider]]), { prune: true, allowMassDelete: true }).plan!;
  const kept = planFrom(desired, actual, new Map([['prometheus', provider]]), { prune: false, allowMassDelete: true }).plan!;
  const orphans = kept.orphans.filter((o) => o.address.endsWith('retired-latency'));
  return { ...pruned, orphans, summary: { ...pruned.summary, orphaned: orphans.length } };
}

export function emptyPlan(): Plan {
  const provider = { backend: 'prometheus', endpoint: 'ruler http://mimir:8080 tenant team-a namespace slo', kinds: ['rule-group'] } as unknown as Provider;
  const g = group('slo-search-availability', 'search', [ratio('availability', '5m')], {}, 'slo');
  return planFrom([g], [g], new Map([['prometheus', provider]]), { prune: false, allowMassDelete: false }).plan!;
}
