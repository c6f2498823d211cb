/**
 * The commented starter spec written by `slo init NAME`. Built with the yaml Document API so the result
 * is valid by construction; comments explain each field to someone writing their first spec.
 */
import { Document, isMap, isPair, isScalar, type YAMLMap } from 'yaml';

export function starterSpec(name: string, team: string): string {
  const spec = {
    apiVersion: 'slo/v1',
    kind: 'Service',
    metadata: { name, team, tier: 2, labels: { env: 'prod' }, runbook: `https://runbooks.example.com/${name}` },
    notifications: { page: [`pagerduty:${team}-oncall`], ticket: [`slack:#${team}-alerts`] },
    slos: [
      {
        name: 'availability',
        description: `${name} requests that do not fail with a 5xx`,
        objective: 99.9,
        window: '30d',
        sli: {
          events: {
            prometheus: {
              errors: `sum(rate(http_requests_total{job="${name}",code=~"5.."}[{{window}}]))`,
              total: `sum(rate(http_requests_total{job="${name}"}[{{window}}]))`,
            },
          },
        },
      },
      {
        name: 'latency',
        description: `${name} requests served within 300ms`,
        objective: 99,
        sli: { template: 'http-latency', vars: { job: name, threshold: '300ms' } },
        alerting: { page: false },
      },
    ],
  };
  const doc = new Document(spec);
  doc.commentBefore =
    ' yaml-language-server: $schema=../schemas/service.schema.json\n' +
    ' Starter spec written by `slo init`. Edit it, then run `slo validate` and `slo build`.\n' +
    ' Reference: README.md ("A tour of the spec") and schemas/service.schema.json.';
  const root = doc.contents as YAMLMap;
  comment(root, 'metadata', ' Who owns the service. name is a DNS label, unique across all specs; labels go on every generated object.');
  comment(root, 'notifications', ' Named routes. Each target is kind:target (pagerduty, opsgenie, slack, email, webhook, msteams).');
  comment(
    root,
    'slos',
    ' One entry per SLO. objective is a percentage; window a rolling duration (default 30d).\n' +
      ' Queries use {{window}} where the range goes: the compiler fills in every window the alerts need.\n' +
      ' Alerting defaults to page (14.4x over 1h/5m, 6x over 6h/30m) and ticket (3x over 1d/2h, 1x over 3d/6h),\n' +
      ' routed to the notification routes named page and ticket.',
  );
  return doc.toString({ lineWidth: 0 });
}

function comment(map: YAMLMap, key: string, text: string): void {
  if (!isMap(map)) return;
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  if (pair && isScalar(pair.key)) pair.key.commentBefore = text;
}
