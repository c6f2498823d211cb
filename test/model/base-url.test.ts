/** One test for every base URL slo takes (flags, target options, slo.config.yaml). */
import { describe, expect, it } from 'vitest';
import { parseBaseUrl } from '../../src/model/base-url.js';

describe('parseBaseUrl', () => {
  it.each([
    ['https://grafana.example.com', 'https://grafana.example.com'],
    ['https://grafana.example.com/', 'https://grafana.example.com'],
    ['http://127.0.0.1:3000//', 'http://127.0.0.1:3000'],
    ['http://[::1]:9090', 'http://[::1]:9090'],
    ['https://proxy.example.com/grafana/', 'https://proxy.example.com/grafana'],
    ['HTTPS://Grafana.example.com', 'HTTPS://Grafana.example.com'],
  ])('takes %s as %s', (text, base) => {
    expect(parseBaseUrl(text)).toBe(base);
  });

  it.each([
    ['grafana.example.com'], // no scheme
    ['localhost:9090'], // scheme "localhost"
    ['ftp://grafana.example.com'],
    ['https:grafana.example.com'],
    ['https://'],
    ['https://grafana.example.com/?orgId=2'],
    ['https://grafana.example.com?orgId=2'],
    ['https://grafana.example.com/#panel'],
    ['https://grafana.example.com/a b'],
    [' https://grafana.example.com'],
    ['http://grafana:99999'], // a port URL refuses
  ])('refuses %j', (text) => {
    expect(parseBaseUrl(text)).toBeUndefined();
  });
});
