/**
 * The Prometheus client says what went wrong: an answer that is not from the query API (a wrong path, a
 * proxy's page) names the HTTP status and the likely cause; Prometheus' own errors keep their text.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusClient, QueryFailure } from '../../src/report/query.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/prometheus/api/v1/')) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:1: parse error' }));
    } else if (req.url?.startsWith('/login/')) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>sign in</html>');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(url: string): Promise<QueryFailure> {
  const e: unknown = await prometheusClient(url).instant('up', Date.UTC(2026, 0, 1)).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(QueryFailure);
  return e as QueryFailure;
}

describe('prometheusClient errors', () => {
  it.each([
    ['a path that is not Prometheus (404)', '/nonexistent', 'HTTP 404'],
    ['a page that is not the API (200)', '/login', 'HTTP 200'],
  ])('%s: the status and the likely cause', async (_, path, status) => {
    const f = await failure(`${base}${path}`);
    expect(f.message).toBe(`${status}: the answer is not from the Prometheus query API; check the Prometheus URL (its base, such as http://prometheus:9090, without /api/v1)`);
    expect(f.kind).toBe('query');
  });

  it("keeps Prometheus' own error text", async () => {
    const f = await failure(`${base}/prometheus`);
    expect(f.message).toBe('HTTP 400: invalid parameter "query": 1:1: parse error');
  });
});
