import { warning } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { eachSlo, effectiveSli } from './spec-walk.js';

/**
 * Elastic stores durations in the unit its field name says: APM's `transaction.duration.us` is in
 * microseconds, ECS `event.duration` in nanoseconds. A mismatched unit moves the threshold by a factor
 * of 1000 and the SLO reports nonsense without any error.
 */
export const elasticUnit: Rule = {
  code: 'elastic-unit-mismatch',
  description: 'An Elasticsearch latency field whose name implies a unit (*.us: us, event.duration: ns) has a matching unit (warning).',
  check({ documents, templates, report }) {
    for (const ref of eachSlo(documents)) {
      const es = effectiveSli(ref.slo.sli, templates)?.latency?.elasticsearch;
      if (!es) continue;
      const expected = unitOfField(es.field);
      // Without `unit`, the compiler picks us for *.us fields and ms otherwise.
      const actual = es.unit ?? (es.field.endsWith('.us') ? 'us' : 'ms');
      if (!expected || expected.unit === actual) continue;
      const base = [...ref.path, 'sli', 'latency', 'elasticsearch'];
      const at = es.unit !== undefined ? ref.doc.locate([...base, 'unit']) : ref.doc.locate([...base, 'field']);
      const given = es.unit !== undefined ? `unit is ${es.unit}` : `unit defaults to ${actual}`;
      report(warning('elastic-unit-mismatch', `${es.field} is in ${expected.name} (${expected.why}) but ${given}; the threshold would be off by a factor of ${factor(expected.unit, actual)}. Set unit: ${expected.unit}`, at));
    }
  },
};

type Unit = 'ns' | 'us' | 'ms' | 's';

function unitOfField(field: string): { unit: Unit; name: string; why: string } | undefined {
  if (field.endsWith('.us')) return { unit: 'us', name: 'microseconds', why: 'Elastic APM convention' };
  if (field === 'event.duration') return { unit: 'ns', name: 'nanoseconds', why: 'ECS' };
  return undefined;
}

const NANOS: Record<Unit, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

function factor(a: Unit, b: Unit): number {
  return Math.max(NANOS[a], NANOS[b]) / Math.min(NANOS[a], NANOS[b]);
}
