import { describe, expect, it } from 'vitest';
import type { SpecV1 } from '../../src/spec/types.js';
import { codes, errors, importFiles, lineOf, modelOf, where } from './helpers.js';

/** A Sloth spec with one SLO; `slo` and `top` are YAML lines spliced in. */
function sloth({ top = '', slo = '' }: { top?: string; slo?: string } = {}): string {
  return `version: "prometheus/v1"
service: "myservice"
${top}slos:
  - name: "requests-availability"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="myservice",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="myservice"}[{{.window}}]))
${slo}`;
}

function convert(text: string): { spec: SpecV1 | undefined; diagnostics: ReturnType<typeof importFiles>['diagnostics'] } {
  const r = importFiles({ 'sloth.yaml': text });
  return { spec: r.docs[0]?.spec, diagnostics: r.diagnostics };
}

describe('Sloth prometheus/v1 import: mapping rules', () => {
  it('maps service, SLO, objective and the events queries; the window is Sloth’s default 30d', () => {
    const { spec, diagnostics } = convert(sloth());
    expect(errors(diagnostics)).toEqual([]);
    expect(spec).toEqual({
      apiVersion: 'slo/v1',
      kind: 'Service',
      metadata: { name: 'myservice', team: 'myservice' },
      slos: [
        {
          name: 'requests-availability',
          objective: 99.9,
          window: '30d',
          sli: {
            events: {
              prometheus: {
                errors: 'sum(rate(http_requests_total{job="myservice",code=~"5.."}[{{window}}]))',
                total: 'sum(rate(http_requests_total{job="myservice"}[{{window}}]))',
              },
            },
          },
        },
      ],
    });
  });

  it('defaults the team to the service name, with a warning', () => {
    const { diagnostics } = convert(sloth());
    expect(codes(diagnostics, 'warning')).toEqual(['import-default-team']);
  });

  it.each([
    ['labels: { team: payments, env: prod }\n', 'payments', { env: 'prod' }],
    ['labels: { owner: ml-platform, repo: "org/x" }\n', 'ml-platform', { owner: 'ml-platform', repo: 'org/x' }],
    ['labels: { team: web, owner: someone-else }\n', 'web', { owner: 'someone-else' }],
  ])('reads the team from labels (%s)', (top, team, labels) => {
    const { spec, diagnostics } = convert(sloth({ top }));
    expect(codes(diagnostics)).toEqual([]);
    expect(spec?.metadata.team).toBe(team);
    expect(spec?.metadata.labels).toEqual(labels);
  });

  it('reads a tier label 0-5 as the service tier, and drops another tier (slo sets the tier label itself)', () => {
    expect(convert(sloth({ top: 'labels: { team: a, tier: "2" }\n' })).spec?.metadata).toEqual({ name: 'myservice', team: 'a', tier: 2 });
    const gold = convert(sloth({ top: 'labels: { team: a, tier: gold }\n' }));
    expect(gold.spec?.metadata).toEqual({ name: 'myservice', team: 'a' });
    expect(codes(gold.diagnostics)).toEqual(['import-label-dropped']);
  });

  it('copies description and SLO labels; numbers become strings', () => {
    const { spec } = convert(sloth({ slo: '    description: "Requests that succeed"\n    labels: { category: availability, version: 2 }\n' }));
    expect(spec?.slos[0]).toMatchObject({ description: 'Requests that succeed', labels: { category: 'availability', version: '2' } });
  });

  it.each([
    ['no alerting block: slo defaults (page and ticket)', '', undefined],
    ['disabled ticket', '    alerting:\n      name: A\n      ticket_alert: { disable: true }\n', { ticket: false }],
    ['both disabled', '    alerting:\n      name: A\n      page_alert: { disable: true }\n      ticket_alert: { disable: true }\n', false],
    [
      'severity label becomes the severity; shared labels and annotations go to both alerts, the alert’s own win',
      `    alerting:
      name: A
      labels: { category: availability, severity: ignored-for-page }
      annotations: { runbook: "https://r.example/x" }
      page_alert:
        labels: { severity: critical, routing_key: team-a }
      ticket_alert:
        annotations: { runbook: "https://r.example/ticket" }
`,
      {
        page: { severity: 'critical', labels: { category: 'availability', routing_key: 'team-a' }, annotations: { runbook: 'https://r.example/x' } },
        ticket: { severity: 'ignored-for-page', labels: { category: 'availability' }, annotations: { runbook: 'https://r.example/ticket' } },
      },
    ],
  ])('alerting: %s', (_, slo, expected) => {
    const { spec, diagnostics } = convert(sloth({ slo }));
    expect(errors(diagnostics)).toEqual([]);
    expect(spec?.slos[0]?.alerting).toEqual(expected);
  });

  it('keeps an annotation holding a Go template as text, warning once at it, also when both alerts share it', () => {
    const slo = `    alerting:
      name: A
      annotations: { runbook: "https://wiki/{{ $labels.sloth_service }}" }
      ticket_alert:
        annotations: { dashboard: "https://g/{{ .Labels.x }}", team: "plain" }
`;
    const text = sloth({ slo });
    const { spec, diagnostics } = convert(text);
    expect(spec?.slos[0]?.alerting).toMatchObject({ page: { annotations: { runbook: 'https://wiki/{{ $labels.sloth_service }}' } } });
    const templated = diagnostics.filter((d) => d.code === 'import-annotation-template');
    expect(templated.map((d) => [d.severity, d.summary, d.source?.start.line])).toEqual([
      ['warning', 'annotation "runbook" holds a Go template, which slo does not expand: annotations are written as literal text', lineOf(text, 'runbook:')],
      ['warning', 'annotation "dashboard" holds a Go template, which slo does not expand: annotations are written as literal text', lineOf(text, 'dashboard:')],
    ]);
  });

  it('makes names DNS labels, with a warning at the original name', () => {
    const text = sloth().replace('"myservice"', '"My_Service"').replace('"requests-availability"', '"Requests.Availability"');
    const { spec, diagnostics } = convert(text);
    expect(spec?.metadata.name).toBe('my-service');
    expect(spec?.slos[0]?.name).toBe('requests-availability');
    expect(diagnostics.filter((d) => d.code === 'import-name-changed').map(where)).toEqual(['sloth.yaml:2:10', 'sloth.yaml:4:11']);
  });
});

describe('Sloth prometheus/v1 import: what cannot be imported', () => {
  it.each([
    ['raw SLI', sloth().replace(/      events:\n.*\n.*\n/, '      raw:\n        error_ratio_query: slo:sli_error:ratio_rate[{{.window}}]\n'), 'sloth-raw-sli-unsupported', 'raw:'],
    ['SLI plugin', sloth().replace(/      events:\n.*\n.*\n/, '      plugin:\n        id: "sloth-common/kubernetes/apiserver/availability"\n'), 'sloth-plugin-sli-unsupported', 'plugin:'],
    ['objective of 100', sloth().replace('objective: 99.9', 'objective: 100'), 'sloth-objective-out-of-range', 'objective:'],
    ['objective as text', sloth().replace('objective: 99.9', 'objective: high'), 'sloth-invalid-value', 'objective:'],
    ['other Go template', sloth().replace('job="myservice",code', 'job="{{.service}}",code'), 'sloth-query-template', 'error_query'],
    ['query without {{.window}}', sloth().replace('[{{.window}}]))\n        total', '[5m]))\n        total'), 'sloth-query-without-window', 'error_query'],
    ['missing total_query', sloth().replace(/        total_query.*\n/, ''), 'sloth-missing-field', 'events:'],
    ['missing service', sloth().replace('service: "myservice"\n', ''), 'import-missing-name', 'version'],
    ['empty slos', 'version: prometheus/v1\nservice: x\nslos: []\n', 'sloth-missing-field', 'slos:'],
  ])('%s', (_, text, code, line) => {
    const { spec, diagnostics } = convert(text);
    expect(codes(errors(diagnostics))).toEqual([code]);
    expect(errors(diagnostics)[0]?.source?.start.line).toBe(lineOf(text, line));
    expect(spec).toBeUndefined();
  });

  it('warns about keys it does not read', () => {
    const { diagnostics } = convert(sloth({ slo: '    objectve: 99\n' }));
    expect(diagnostics.filter((d) => d.code === 'sloth-unknown-key').map((d) => d.summary)).toEqual([
      'Sloth SLO: key "objectve" is not read by slo and is ignored; did you mean "objective"?',
    ]);
  });

  it('keeps the other SLOs of a file when one fails', () => {
    const text = `${sloth()}  - name: raw-one
    objective: 99
    sli:
      raw:
        error_ratio_query: x[{{.window}}]
`;
    const r = importFiles({ 'sloth.yaml': text });
    expect(codes(errors(r.diagnostics))).toEqual(['sloth-raw-sli-unsupported']);
    expect(r.docs[0]?.spec.slos.map((s) => s.name)).toEqual(['requests-availability']);
  });
});

describe('Sloth import: positions point into the original file', () => {
  it('forgets the positions of an SLO that failed, whose index the next SLO takes', () => {
    const text = `version: prometheus/v1
service: svc
labels: { team: a }
slos:
  - name: failing
    objective: 99
    alerting: { name: A, page_alert: { labels: { channel: x } } }
    sli:
      raw:
        error_ratio_query: x[{{.window}}]
  - name: kept
    objective: 99
    sli:
      events:
        error_query: sum(rate(e[{{.window}}]))
        total_query: sum(rate(t[{{.window}}]))
`;
    const doc = importFiles({ 'sloth.yaml': text }).docs[0]!;
    expect(doc.spec.slos.map((s) => s.name)).toEqual(['kept']);
    expect(doc.locate(['slos', 0, 'alerting', 'page', 'labels', 'channel']).start.line).toBe(lineOf(text, 'name: kept'));
  });

  const text = sloth({ top: 'labels: { team: a }\n' });
  const doc = importFiles({ 'sloth.yaml': text }).docs[0]!;

  it.each([
    [['slos', 0, 'objective'], 'objective: 99.9'],
    [['slos', 0, 'name'], 'name: "requests-availability"'],
    [['slos', 0, 'sli', 'events', 'prometheus', 'errors'], 'error_query'],
    [['slos', 0, 'sli', 'events', 'prometheus', 'total'], 'total_query'],
    [['metadata', 'team'], 'labels: { team: a }'],
    [['metadata', 'name'], 'service:'],
    [['slos', 0, 'window'], '- name:'],
  ] as const)('%j → line of %s', (path, needle) => {
    expect(doc.locate(path).start.line).toBe(lineOf(text, needle));
  });

  it('maps an offset inside a rewritten query to the column of the original', () => {
    const query = doc.spec.slos[0]!.sli.events!.prometheus!.errors!;
    const originalLine = text.split('\n')[lineOf(text, 'error_query') - 1]!;
    const valueStart = originalLine.indexOf('sum(');
    // `))` after the window: 1 character further left in the original ({{.window}} is one longer).
    const after = query.lastIndexOf('))');
    const range = doc.locateInScalar(['slos', 0, 'sli', 'events', 'prometheus', 'errors'], after, 2);
    expect(range.start).toEqual({ line: lineOf(text, 'error_query'), col: valueStart + 1 + after + 1 });
    expect(originalLine.slice(range.start.col - 1, range.start.col + 1)).toBe('))');
  });
});

describe('Sloth import: alerting like Sloth', () => {
  it('gives a 30d SLO with Sloth’s (the workbook’s) page and ticket windows', () => {
    const loaded = modelOf({ 'sloth.yaml': sloth({ top: 'labels: { team: a }\n', slo: '    alerting:\n      name: A\n      page_alert:\n        labels: { severity: critical }\n' }) });
    expect(errors(loaded.diagnostics)).toEqual([]);
    const slo = loaded.model!.services[0]!.slos[0]!;
    expect(slo.window.toString()).toBe('30d');
    const windows = Object.fromEntries(
      slo.alerts.map((a) => [a.name, { severity: a.severity, windows: a.windows.map((w) => [w.long.toString(), w.short.toString(), w.factor, w.budgetConsumed]) }]),
    );
    expect(windows).toEqual({
      page: { severity: 'critical', windows: [['1h', '5m', 14.4, 0.02], ['6h', '30m', 6, 0.05]] },
      ticket: { severity: 'ticket', windows: [['1d', '2h', 3, 0.1], ['3d', '6h', 1, 0.1]] },
    });
  });
});

describe('Sloth import: diagnostics of later stages point into the Sloth file', () => {
  const text = `version: prometheus/v1
service: svc
labels: { team: a }
slos:
  - name: req_avail
    objective: 99
    sli:
      events:
        error_query: sum(rate(errors_total[{{.window}}]))
        total_query: sum(rate(requests_total[{{ .window }}])))
  - name: req-avail
    objective: 99
    sli:
      events:
        error_query: sum(rate(errors_total[{{.window}}]))
        total_query: sum(rate(requests_total[{{.window}}]))
`;
  const loaded = modelOf({ 'sloth.yaml': text });

  it('a duplicate name after conversion is reported at the second SLO’s name', () => {
    const d = loaded.diagnostics.find((x) => x.code === 'duplicate-slo');
    expect(d && where(d)).toBe(`sloth.yaml:${lineOf(text, 'name: req-avail')}:11`);
  });

  it('a PromQL error after a rewritten {{ .window }} is reported at its column in the original', () => {
    const d = loaded.diagnostics.find((x) => x.code === 'promql-syntax');
    expect(d?.source?.start.line).toBe(lineOf(text, 'total_query: sum(rate(requests_total[{{ .window'));
    const line = text.split('\n')[d!.source!.start.line - 1]!;
    // The stray third ")" at the end of the line.
    expect(d!.source!.start.col).toBe(line.length);
    expect(line[d!.source!.start.col - 1]).toBe(')');
  });
});
