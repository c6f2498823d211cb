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
    expect(lines('prometheus:\n  reloadUrl: notaurl\n')).toEqual(['2:14: prometheus.reloadUrl must be an http(s) URL without query or fragment, such as http://prometheus:9090/-/reload [config-invalid]']);
    expect(lines('grafana:\n  url: notaurl\n')).toEqual(['2:8: grafana.url must be an http(s) URL without query or fragment, such as https://grafana.example.com [config-invalid]']);
  });

  it('takes http(s) URLs only, in every URL field (localhost:9090 is a URL of scheme "localhost")', () => {
    expect(lines('prometheus:\n  rulesDir: rules\n  reloadUrl: localhost:9090/-/reload\n')).toEqual([
      '3:14: prometheus.reloadUrl must be an http(s) URL without query or fragment, such as http://prometheus:9090/-/reload [config-invalid]',
    ]);
    const config = [
      'prometheus:',
      '  url: prometheus:9090',
      '  ruler: { url: "mimir:8080" }',
      'grafana: { url: "ftp://grafana.example.com" }',
      'datadog: { url: "file:///etc/passwd" }',
      'elasticsearch: { url: "https:elasticsearch:9200" }',
      'kibana: { url: "mailto:ops@example.com", space: "x" }',
      '',
    ].join('\n');
    expect(lines(config).sort()).toEqual([
      '2:8: prometheus.url must be an http(s) URL without query or fragment, such as http://prometheus:9090 [config-invalid]',
      '3:17: prometheus.ruler.url must be an http(s) URL without query or fragment, such as http://mimir:8080 [config-invalid]',
      '4:17: grafana.url must be an http(s) URL without query or fragment, such as https://grafana.example.com [config-invalid]',
      '5:17: datadog.url must be an http(s) URL without query or fragment, such as https://api.datadoghq.com [config-invalid]',
      '6:23: elasticsearch.url must be an http(s) URL without query or fragment, such as https://elasticsearch:9200 [config-invalid]',
      '7:16: kibana.url must be an http(s) URL without query or fragment, such as https://kibana:5601 [config-invalid]',
    ]);
    expect(parse(config).value).toEqual({});
  });

  it('reports a scheme error along with the schema errors of other fields', () => {
    expect(lines('prometheus:\n  reloadUrl: localhost:9090\n  format: xml\n').sort()).toEqual([
      '2:14: prometheus.reloadUrl must be an http(s) URL without query or fragment, such as http://prometheus:9090/-/reload [config-invalid]',
      '3:11: prometheus.format must be one of operator, rules [config-invalid]',
    ]);
  });

  it('refuses a query or fragment, which the paths slo appends would land behind', () => {
    expect(lines('grafana: { url: "https://grafana.example.com/?orgId=2" }\nelasticsearch: { url: "https://es:9200/#x" }\n')).toEqual([
      '1:17: grafana.url must be an http(s) URL without query or fragment, such as https://grafana.example.com [config-invalid]',
      '2:23: elasticsearch.url must be an http(s) URL without query or fragment, such as https://elasticsearch:9200 [config-invalid]',
    ]);
  });

  it('accepts http and https URLs with ports, paths and IPv6 hosts', () => {
    const good = 'prometheus:\n  url: http://[::1]:9090\n  ruler: { url: "https://mimir.example.com/prometheus" }\ngrafana: { url: "HTTPS://grafana.example.com:3000/" }\n';
    expect(parse(good).diagnostics).toEqual([]);
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
