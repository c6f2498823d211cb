/**
 * ajv errors → diagnostics: one diagnostic per mistake, at the token to fix. (The corpus in
 * test/corpus/ checks the wording; this checks codes and positions.)
 */
import { describe, expect, it } from 'vitest';
import { AVAILABILITY, found, service, validateYaml, withSli, yaml } from '../validate/helpers.js';

const sloWith = (from: string, to: string) => service(AVAILABILITY.replace(from, to));

describe('schema diagnostics', () => {
  it.each([
    ['a misspelt required key: the typo only, not also the missing key', sloWith('objective:', 'objectve:'), [{ code: 'schema-unknown-key', line: 11, col: 3 }]],
    ['a misspelt one-of key: the typo only', sloWith('errors:', 'error:'), [{ code: 'schema-unknown-key', line: 15, col: 9 }]],
    ['an unknown key far from any known one', sloWith('objective: 99.9', 'objective: 99.9\n  owner: me'), [{ code: 'schema-unknown-key', line: 12, col: 3 }]],
    ['a missing key, at the mapping that lacks it', service(AVAILABILITY).replace('  team: payments\n', ''), [{ code: 'schema-missing-key', line: 3, col: 1 }]],
    [
      'two exclusive keys, at the second',
      withSli(yaml`
        sli:
          events:
            prometheus:
              errors: sum(rate(x[{{window}}]))
              good: sum(rate(y[{{window}}]))
              total: sum(rate(z[{{window}}]))
      `),
      [{ code: 'schema-one-of', line: 16, col: 9 }],
    ],
    ['a bad label name, at the name', sloWith('objective: 99.9', 'objective: 99.9\n  labels: { ok: a, bad-name: b }'), [{ code: 'schema-pattern', line: 12, col: 20 }]],
    ['a number where a string belongs', sloWith('objective: 99.9', 'objective: 99.9\n  labels: { tier: 1 }'), [{ code: 'schema-type', line: 12, col: 19 }]],
    ['a percent string', sloWith('objective: 99.9', 'objective: "99.9%"'), [{ code: 'schema-type', line: 11, col: 14 }]],
    ['objective 100', sloWith('objective: 99.9', 'objective: 100'), [{ code: 'schema-out-of-range', line: 11, col: 14 }]],
    ['an empty duration', sloWith('objective: 99.9', 'objective: 99.9\n  window: ""'), [{ code: 'schema-pattern', line: 12, col: 11 }]],
    ['a merge key', sloWith('objective: 99.9', '<<: { objective: 99.9 }'), [{ code: 'schema-unknown-key', line: 11, col: 3 }]],
    ['an empty events mapping', withSli('sli:\n  events: {}\n'), [{ code: 'schema-min-properties', line: 13, col: 13 }]],
    [
      'a repeated by label, at the repetition',
      withSli('sli:\n  latency:\n    threshold: 1s\n    prometheus: { histogram: x_bucket, by: [ a, b, a ] }\n', '99'),
      [{ code: 'schema-unique-items', line: 15, col: 54 }],
    ],
  ])('%s', (_, text, expected) => {
    expect(found(validateYaml(text))).toEqual(expected);
  });

  it.each([
    // YAML's .inf and .nan are numbers to JavaScript; JSON.stringify would call them null.
    ['objective: .inf', 'slos[0].objective must be a finite number between 0 and 100, not .inf'],
    ['objective: -.Inf', 'slos[0].objective must be a finite number between 0 and 100, not -.inf'],
    ['objective: .NaN', 'slos[0].objective must be a finite number between 0 and 100, not .nan'],
    // A unitless duration: quoting it ("0.3") would fail next as "not a duration".
    ['objective: 99.9\n  window: 30', 'slos[0].window must be a duration such as 5m, 1h or 30d, not number 30; write it with a unit: ms, s, m, h or d'],
    // Quoted as written: "1" for 1.0 or "10" for 010 would be another label value.
    ['objective: 99.9\n  labels: { version: 1.0 }', 'slos[0].labels.version must be a string, not number 1; quote it: "1.0"'],
    ['objective: 99.9\n  labels: { build: 010 }', 'slos[0].labels.build must be a string, not number 10; quote it: "010"'],
  ])('%s', (replacement, message) => {
    const [d, ...rest] = validateYaml(sloWith('objective: 99.9', replacement));
    expect(rest).toEqual([]);
    expect(d?.code).toBe('schema-type');
    expect(d?.summary).toBe(message);
  });

  it.each([
    ['0.3', '; if 0.3 means seconds (as in Prometheus histogram buckets), write 300ms'],
    ['2', '; if 2 means seconds (as in Prometheus histogram buckets), write 2s'],
    ['1.5', '; if 1.5 means seconds (as in Prometheus histogram buckets), write 1s500ms'],
    ['0', '; write it with a unit: ms, s, m, h or d'],
  ])('a latency threshold of %s suggests a duration', (threshold, hint) => {
    const [d] = validateYaml(withSli(`sli:\n  latency:\n    threshold: ${threshold}\n    prometheus: { histogram: x_bucket }\n`, '99'));
    expect(found([d!])).toEqual([{ code: 'schema-type', line: 14, col: 18 }]);
    expect(d?.summary).toBe(`slos[0].sli.latency.threshold must be a duration such as 5m, 1h or 30d, not number ${threshold}${hint}`);
  });

  it('quotes a YAML 1.1 boolean as written: "yes", not "true"', () => {
    const [d] = validateYaml(`%YAML 1.1\n---\n${sloWith('objective: 99.9', 'objective: 99.9\n  labels: { canary: yes }')}`);
    expect(d?.summary).toBe('slos[0].labels.canary must be a string, not boolean true; quote it: "yes"');
  });

  it('suggests the key that was meant', () => {
    const [d] = validateYaml(sloWith('objective:', 'objectve:'));
    expect(d?.summary).toContain('did you mean "objective"?');
  });
});
