import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toSloV1Yaml } from '../../src/import/write.js';
import type { SpecDocument } from '../../src/spec/document.js';
import type { SpecV1 } from '../../src/spec/types.js';
import { convertedCorpus, errors, importFiles, modelOf, withoutSources } from './helpers.js';

describe('toSloV1Yaml', () => {
  const cases = convertedCorpus().flatMap(({ files, docs }) => docs.map((doc) => ({ files, doc })));
  const corpus = cases.map((c) => c.doc);

  it.each(cases.map((c) => [c.doc.spec.metadata.name, c] as const))('%s re-loads to the same model', (_, { files, doc }) => {
    const imported = modelOf(files);
    const written = modelOf({ [`${doc.spec.metadata.name}.yaml`]: toSloV1Yaml(doc) });
    expect(errors(written.diagnostics)).toEqual([]);
    const service = (m: typeof imported) => m.model?.services.find((s) => s.id === doc.spec.metadata.name);
    expect(service(written)).toBeDefined();
    expect(withoutSources(service(written))).toEqual(withoutSources(service(imported)));
  });

  it('starts with the schema comment and says where the spec came from', () => {
    const text = toSloV1Yaml(corpus.find((d) => d.spec.metadata.name === 'myservice')!);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schemas/service.schema.json');
    expect(lines[1]).toMatch(/^# Converted by `slo import` from Sloth prometheus\/v1: .*myservice\.yaml\.$/);
    expect(lines[3]).toBe('apiVersion: slo/v1');
  });

  it('writes the keys in the order of slos/*.yaml, whatever order the spec object has', () => {
    const spec = {
      slos: [{ alerting: { ticket: false, page: { for: '2m', windows: [{ factor: 14.4, short: '5m', long: '1h' }], notify: 'page' } }, sli: { events: { prometheus: { total: 't[{{window}}]', errors: 'e[{{window}}]' } } }, window: '30d', objective: 99.9, name: 'availability' }],
      notifications: { page: ['pagerduty:x'] },
      metadata: { labels: { env: 'prod' }, team: 'a', name: 'svc' },
      kind: 'Service',
      apiVersion: 'slo/v1',
    } as unknown as SpecV1;
    const text = toSloV1Yaml(plain(spec));
    expect(text).toBe(`# yaml-language-server: $schema=../schemas/service.schema.json
apiVersion: slo/v1
kind: Service
metadata:
  name: svc
  team: a
  labels: { env: prod }
notifications:
  page: [ pagerduty:x ]
slos:
  - name: availability
    objective: 99.9
    window: 30d
    sli:
      events:
        prometheus:
          errors: e[{{window}}]
          total: t[{{window}}]
    alerting:
      page:
        notify: page
        windows:
          - { long: 1h, short: 5m, factor: 14.4 }
        for: 2m
      ticket: false
`);
  });

  it('writes the converter’s notes as comments above their fields, and labels notes above the flow mapping', () => {
    const text = `version: prometheus/v1
service: My_Service
labels: { team: a, app.kubernetes.io/name: shop }
slos:
  - name: availability
    objective: 99
    sli:
      events:
        error_query: sum(rate(e[{{.window}}]))
        total_query: sum(rate(t[{{.window}}]))
`;
    const doc = importFiles({ 'sloth.yaml': text }).docs[0]!;
    const written = toSloV1Yaml(doc);
    expect(written).toContain(`metadata:
  # was "My_Service" in the original
  name: my-service
  team: a
  # app_kubernetes_io_name: renamed from "app.kubernetes.io/name"
  labels: { app_kubernetes_io_name: shop }`);
    expect(written).toContain(`    # Sloth's SLO period is its --default-slo-period flag, 30d unless changed.
    window: 30d`);
    // Comments do not change the data.
    expect(parse(written)).toEqual(JSON.parse(JSON.stringify(doc.spec)));
  });

  it('is deterministic', () => {
    for (const doc of corpus) expect(toSloV1Yaml(doc)).toBe(toSloV1Yaml(doc));
  });
});

/** A native document (no import notes) around a spec. */
function plain(spec: SpecV1): SpecDocument {
  const at = { file: 'x.yaml', start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };
  return { file: 'x.yaml', format: 'slo/v1', spec, locate: () => at, locateKey: () => at, locateInScalar: () => at };
}

