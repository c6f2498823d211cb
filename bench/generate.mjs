// Generates N synthetic services with a mix of SLO kinds and backends, for benchmarks.
// Usage: node bench/generate.mjs <slo-count> <out-dir>
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export function generate(sloCount, outDir, slosPerService = 10) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const services = Math.ceil(sloCount / slosPerService);
  let made = 0;
  for (let s = 0; s < services; s++) {
    const name = `svc-${String(s).padStart(5, '0')}`;
    const slos = [];
    for (let i = 0; i < slosPerService && made < sloCount; i++, made++) {
      const window = ['30d', '28d', '7d'][i % 3];
      if (i % 5 === 4) {
        slos.push({ name: `latency-${i}`, objective: 99, window, sli: { template: 'http-latency', vars: { job: name, threshold: '300ms' } } });
      } else if (i % 5 === 3) {
        slos.push({
          name: `availability-${i}`,
          objective: 99.9,
          window: window === '28d' ? '30d' : window,
          sli: {
            events: {
              prometheus: {
                errors: `sum(rate(http_requests_total{job="${name}",route="/r${i}",code=~"5.."}[{{window}}]))`,
                total: `sum(rate(http_requests_total{job="${name}",route="/r${i}"}[{{window}}]))`,
              },
              datadog: {
                good: `sum:trace.http.request.hits{service:${name},resource_name:r${i},!http.status_class:5xx}.as_count()`,
                total: `sum:trace.http.request.hits{service:${name},resource_name:r${i}}.as_count()`,
              },
              elasticsearch: {
                index: 'traces-apm*',
                total: `service.name:"${name}" and transaction.name:"r${i}"`,
                errors: `service.name:"${name}" and transaction.name:"r${i}" and event.outcome:"failure"`,
              },
            },
          },
        });
      } else {
        slos.push({
          name: `availability-${i}`,
          objective: [99, 99.5, 99.9][i % 3],
          window,
          sli: {
            events: {
              prometheus: {
                errors: `sum(rate(http_requests_total{job="${name}",route="/r${i}",code=~"5.."}[{{window}}]))`,
                total: `sum(rate(http_requests_total{job="${name}",route="/r${i}"}[{{window}}]))`,
              },
            },
          },
        });
      }
    }
    const spec = {
      apiVersion: 'slo/v1',
      kind: 'Service',
      metadata: { name, team: `team-${s % 50}`, tier: s % 4, labels: { env: 'prod' }, runbook: `https://runbooks.example.com/${name}` },
      notifications: { page: [`pagerduty:team-${s % 50}`], ticket: [`slack:#team-${s % 50}`] },
      slos,
    };
    writeFileSync(path.join(outDir, `${name}.yaml`), stringify(spec, { lineWidth: 0 }));
  }
  return { services, slos: made };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count = '1000', out = '.tmp/bench-specs'] = process.argv.slice(2);
  console.log(generate(Number(count), out));
}
