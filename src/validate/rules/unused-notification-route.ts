import { warning } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';
import { eachSlo, enabledSeverities } from './spec-walk.js';

/** A route no alert uses is usually a typo on the other side (`notify: pages` next to a route `page`). */
export const unusedNotificationRoute: Rule = {
  code: 'unused-notification-route',
  description: 'Every notification route is used by at least one alert severity (warning).',
  check({ documents, report }) {
    for (const doc of documents) {
      const routes = Object.keys(doc.spec.notifications ?? {});
      if (routes.length === 0) continue;
      const written = new Set<string>();
      const byDefault = new Set<string>();
      for (const ref of eachSlo([doc])) {
        for (const sev of enabledSeverities(ref)) {
          const notify = sev.spec.notify;
          // Without notify, a severity uses the route of its own name.
          if (notify === undefined) byDefault.add(sev.name);
          else for (const name of typeof notify === 'string' ? [notify] : notify) written.add(name);
        }
      }
      // `notify: pagr` leaves "page" unused; the unknown route is the error to fix, this would be noise.
      if ([...written].some((name) => !routes.includes(name))) continue;
      for (const route of routes) {
        if (written.has(route) || byDefault.has(route)) continue;
        report(warning('unused-notification-route', `notification route "${route}" is not used by any alert`, doc.locateKey(['notifications', route])));
      }
    }
  },
};
