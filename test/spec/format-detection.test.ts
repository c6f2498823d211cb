/**
 * Which format a document is, and what the loader says when it is none: a Sloth file with a key
 * missing or misspelt is still a Sloth file (only Sloth writes `version: prometheus/v1`), and is told
 * what is missing rather than that its version is unknown while the message lists that very version.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseSpecText } from '../../src/spec/load.js';
import { validateYaml } from '../validate/helpers.js';

const line = (d: Diagnostic) => `${d.source?.start.line}:${d.source?.start.col}: ${d.severity}: ${d.summary} [${d.code}]`;
const formatOf = (text: string) => parseSpecText('spec.yaml', Buffer.from(text)).value.map((d) => d.format);

describe('Sloth files with a key missing', () => {
  it('a misspelt slos: says slos is missing, with a did-you-mean for slo', () => {
    const text = 'version: "prometheus/v1"\nservice: x\nslo:\n  - name: a\n';
    expect(formatOf(text)).toEqual(['sloth/prometheus-v1']);
    expect(validateYaml(text).map(line)).toEqual([
      '1:1: error: Sloth spec has no SLOs: `slos` must be a non-empty list [sloth-missing-field]',
      '3:1: warning: Sloth spec: key "slo" is not read by slo and is ignored; did you mean "slos"? [sloth-unknown-key]',
    ]);
  });

  it('only the version: says what a Sloth spec needs, not that the version is unknown', () => {
    const codes = validateYaml('version: prometheus/v1\n').map((d) => d.code);
    expect(codes).toEqual(['import-missing-name', 'sloth-missing-field']);
  });

  it('a Sloth version slo does not read is named as the version key it is', () => {
    expect(validateYaml('version: prometheus/v2\nservice: x\n').map(line)).toEqual([
      '1:10: error: unknown version "prometheus/v2"; expected apiVersion: slo/v1 (or openslo/v1, or Sloth version: prometheus/v1) [unknown-api-version]',
    ]);
  });

  it('an apiVersion beside the version decides: the document is not Sloth', () => {
    expect(validateYaml('apiVersion: slo/v2\nversion: prometheus/v1\nslos: []\n').map((d) => d.code)).toEqual(['unknown-api-version']);
  });
});

describe('duplicate keys', () => {
  it.each([
    ['plain', 'team: u', 'duplicate key "team"'],
    ['double-quoted', '"team": u', 'duplicate key "team"'],
    ['single-quoted', "'team': u", 'duplicate key "team"'],
    ['double-quoted with a colon', '"a:b": u', 'duplicate key "a:b"'],
    ["single-quoted with a ''", "'it''s': u", `duplicate key "it's"`],
  ])('are named once quoted: %s', (_, second, expected) => {
    const first = second.includes('a:b') ? '"a:b": t' : second.includes('it') ? "it's: t" : 'team: t';
    const [d] = parseSpecText('spec.yaml', Buffer.from(`apiVersion: slo/v1\n${first}\n${second}\n`)).diagnostics;
    expect(d?.code).toBe('yaml-duplicate-key');
    expect(d?.summary).toBe(`${expected}: a key may appear only once in a mapping`);
    expect([d?.source?.start.line, d?.source?.start.col]).toEqual([3, 1]);
  });
});
