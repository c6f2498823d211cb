/**
 * The pipeline does not run the JSON Schema on imported documents, so the converters must only produce
 * schema-valid slo/v1. This holds every converted spec of the test corpus, and of generated Sloth specs,
 * to schemas/service.schema.json.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ImportedDocument } from '../../src/import/imported-document.js';
import { toSloV1Yaml } from '../../src/import/write.js';
import { parseSpecText } from '../../src/spec/load.js';
import { checkSchema } from '../../src/spec/schema.js';
import { convertedCorpus, errors, importFiles } from './helpers.js';

/** Schema diagnostics of a converted spec, placed in its rendered YAML (so a failure shows where). */
function schemaProblems(doc: ImportedDocument): string[] {
  const text = toSloV1Yaml(doc);
  const loaded = parseSpecText('converted.yaml', new TextEncoder().encode(text)).value[0]!;
  // Validate the converted object itself, not what YAML made of it.
  return checkSchema({ ...loaded, data: JSON.parse(JSON.stringify(doc.spec)) as unknown }).map((d) => `${d.source?.start.line}: ${d.summary}`);
}

describe('converted specs are valid slo/v1', () => {
  const corpus = convertedCorpus().flatMap((c) => c.docs);

  it('the corpus is not empty', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(5);
  });

  it.each(corpus.map((d) => [d.spec.metadata.name, d] as const))('%s', (_, doc) => {
    expect(schemaProblems(doc)).toEqual([]);
  });
});

/** Sloth specs with odd names, labels, objectives and alerting, as users write them. */
const slothSpec = fc
  .record({
    service: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_. -]{0,20}$/),
    labels: fc.dictionary(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.\/-]{0,10}$/), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()), { maxKeys: 4 }),
    slos: fc.array(
      fc.record({
        name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,30}$/),
        objective: fc.double({ min: 0.001, max: 99.999, noNaN: true }),
        description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        alerting: fc.option(
          fc.record({
            name: fc.constant('Alert'),
            labels: fc.dictionary(fc.constantFrom('severity', 'category', 'team', 'routing_key'), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
            annotations: fc.dictionary(fc.constantFrom('summary', 'runbook'), fc.string({ maxLength: 10 }), { maxKeys: 2 }),
            page_alert: fc.record({ disable: fc.boolean(), labels: fc.dictionary(fc.constantFrom('severity', 'channel'), fc.string({ maxLength: 6 }), { maxKeys: 2 }) }),
            ticket_alert: fc.record({ disable: fc.boolean() }),
          }),
          { nil: undefined },
        ),
      }),
      { minLength: 1, maxLength: 3, selector: (s) => s.name.toLowerCase().replace(/[^a-z0-9]+/g, '-') },
    ),
  })
  .map(({ service, labels, slos }) => ({
    version: 'prometheus/v1',
    service,
    labels,
    slos: slos.map((s) => ({
      ...s,
      sli: { events: { error_query: 'sum(rate(errors_total[{{.window}}]))', total_query: 'sum(rate(requests_total[{{.window}}]))' } },
    })),
  }));

describe('generated Sloth specs', () => {
  it('convert to schema-valid slo/v1 whenever they convert without errors', () => {
    fc.assert(
      fc.property(slothSpec, (spec) => {
        const r = importFiles({ 'sloth.yaml': stringify(spec) });
        fc.pre(errors(r.diagnostics).length === 0 && r.docs.length === 1);
        expect(schemaProblems(r.docs[0]!)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
