import { error, warning, type Diagnostic, type SourceRange } from '../../diagnostics/diagnostic.js';
import { closest } from '../../spec/suggest.js';
import type { Rule } from '../rule.js';
import { eachSlo, enabledSeverities, type SeverityName } from './spec-walk.js';

/**
 * `notify` names routes of `notifications`. A typo there would silently drop the page, so it is an
 * error. A severity with no route at all still fires (Alertmanager's default route may catch it), but
 * nobody chose where it goes: a warning.
 */
export const notificationRouteExists: Rule = {
  code: 'unknown-notification-route',
  description: 'Every alerting.<page|ticket>.notify route is a key of notifications; a severity without any route is a warning (alert-without-route).',
  check({ documents, report }) {
    for (const ref of eachSlo(documents)) {
      const routes = Object.keys(ref.doc.spec.notifications ?? {});
      // Sloth specs have no routes by design: Alertmanager routes their alerts by label.
      const routesExpected = ref.doc.format !== 'sloth/prometheus-v1';
      const unrouted: SeverityName[] = [];
      for (const sev of enabledSeverities(ref)) {
        const notify = sev.spec.notify;
        if (notify === undefined) {
          // Without notify a severity goes to the route of its own name, if there is one.
          if (routes.includes(sev.name) || !routesExpected) continue;
          if (sev.explicit) report(noRoute([sev.name], ref.slo.name, ref.doc.locateKey(sev.path)));
          else unrouted.push(sev.name);
          continue;
        }
        const names = typeof notify === 'string' ? [notify] : notify;
        if (names.length === 0) {
          report(warning('alert-without-route', `${sev.name} alerts of SLO "${ref.slo.name}" notify no route (notify is empty); they fire but reach no one`, ref.doc.locate([...sev.path, 'notify'])));
        }
        names.forEach((name, i) => {
          if (routes.includes(name)) return;
          const at = ref.doc.locate(typeof notify === 'string' ? [...sev.path, 'notify'] : [...sev.path, 'notify', i]);
          const guess = closest(name, routes);
          const hint = routes.length === 0 ? '; this service defines no notifications' : guess ? `; did you mean "${guess}"?` : `; routes are ${routes.map((r) => `"${r}"`).join(', ')}`;
          report(error('unknown-notification-route', `notification route "${name}" does not exist${hint}`, at));
        });
      }
      if (unrouted.length > 0) {
        // Severities on by default have no node of their own: point at alerting, or at the SLO's name.
        const at = ref.slo.alerting !== undefined ? ref.doc.locateKey([...ref.path, 'alerting']) : ref.doc.locate([...ref.path, 'name']);
        report(noRoute(unrouted, ref.slo.name, at));
      }
    }
  },
};

function noRoute(severities: readonly SeverityName[], slo: string, at: SourceRange): Diagnostic {
  const names = severities.map((n) => `"${n}"`).join(' and ');
  return warning(
    'alert-without-route',
    `${severities.join(' and ')} alerts of SLO "${slo}" have no notification route: add ${severities.length > 1 ? 'routes' : 'a route'} named ${names} to notifications, set notify, or turn them off with ${severities.map((n) => `${n}: false`).join(' and ')}`,
    at,
  );
}
