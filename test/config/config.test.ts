/** slo.config.yaml errors are as helpful as spec errors: positions, did-you-mean, examples. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';

const parse = (text: string) => parseConfig('slo.config.yaml', new TextEncoder().encode(text));
const lines = (text: string) =>
  parse(text).diagnostics.map((d) => `${d.source ? `${d.source.start.line}:${d.source.start.col}: ` : ''}${d.summary} [${d.code}]`);

describe('slo.config.yaml errors', () => {
  it('suggests the key meant', () => {
    expect(lines('prometheus:\n  rulesdir: rules\n')).toEqual(['2:3: unknown key "rulesdir" in prometheus of the config; did you mean "rulesDir"? [config-unknown-key]']);
    expect(lines('grafan:\n  url: http://g\n')).toEqual(['1:1: unknown key "grafan" at the top level of the config; did you mean "grafana"? [config-unknown-key]']);
  });

  it('says what a URL looks like', () => {
    expect(lines('prometheus:\n  reloadUrl: notaurl\n')).toEqual(['2:14: prometheus.reloadUrl must be a URL such as http://prometheus:9090/-/reload [config-invalid]']);
    expect(lines('grafana:\n  url: notaurl\n')).toEqual(['2:8: grafana.url must be a URL such as https://grafana.example.com [config-invalid]']);
  });

  it('lists allowed values and names what is missing', () => {
    expect(lines('prometheus:\n  format: xml\ngrafana: {}\n')).toEqual([
      '2:11: prometheus.format must be one of operator, rules [config-invalid]',
      '3:10: grafana needs "url" [config-invalid]',
    ]);
  });

  it('says an empty config file is empty, not that a spec is expected', () => {
    for (const text of ['', '# nothing yet\n']) {
      expect(lines(text)).toEqual(['1:1: the config file slo.config.yaml is empty; set up a backend in it (see docs/plan-apply.md) or delete it [config-empty]']);
    }
  });

  it('accepts a good config', () => {
    expect(parse('prometheus:\n  rulesDir: rules\n  reloadUrl: http://prometheus:9090/-/reload\n')).toEqual({
      value: { prometheus: { rulesDir: 'rules', reloadUrl: 'http://prometheus:9090/-/reload' } },
      diagnostics: [],
    });
  });
});
