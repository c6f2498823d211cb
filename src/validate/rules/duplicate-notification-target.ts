import { warning } from '../../diagnostics/diagnostic.js';
import type { Rule } from '../rule.js';

/** The same target twice in a route: harmless after deduplication, but usually a copy-paste slip. */
export const duplicateNotificationTarget: Rule = {
  code: 'duplicate-notification-target',
  description: 'A notification route lists each target once.',
  check({ documents, report }) {
    for (const doc of documents) {
      for (const [route, targets] of Object.entries(doc.spec.notifications ?? {})) {
        const seen = new Map<string, number>();
        targets.forEach((target, i) => {
          const key = normalTarget(target);
          const first = seen.get(key);
          if (first === undefined) seen.set(key, i);
          else report(warning('duplicate-notification-target', `"${target}" is already listed in route "${route}" (item ${first + 1})`, doc.locate(['notifications', route, i])));
        });
      }
    }
  },
};

/** Kinds and email addresses are case-insensitive; Slack channels and keys are not. */
function normalTarget(target: string): string {
  const i = target.indexOf(':');
  const kind = target.slice(0, i).toLowerCase();
  const rest = target.slice(i + 1).trim();
  return `${kind}:${kind === 'email' ? rest.toLowerCase() : rest}`;
}
