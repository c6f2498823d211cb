import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, NotFound, ProviderError } from '../../src/providers/errors.js';
import { HttpClient, safeUrl } from '../../src/providers/http.js';

/** A server whose next responses are scripted per test: a status, headers, or a dropped connection. */
type Step = { status: number; headers?: Record<string, string>; body?: string } | 'drop' | { hangMs: number };
let script: Step[] = [];
let seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const step = script.shift() ?? { status: 200, body: 'ok' };
      if (step === 'drop') return req.socket.destroy();
      if ('hangMs' in step) return void setTimeout(() => res.end('late'), step.hangMs);
      res.writeHead(step.status, step.headers ?? {});
      res.end(step.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => {
  server.closeAllConnections();
  server.close(() => r());
}));

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const waits: number[] = [];
  const c = new HttpClient({ baseUrl: `${base}/api`, retries: 3, random: () => 1, sleep: async (ms) => void waits.push(ms), now: () => 1_700_000_000_000, ...extra });
  return { c, waits };
}

function run(steps: Step[]) {
  script = [...steps];
  seen = [];
}

describe('HttpClient', () => {
  it('joins the base path and the request path', async () => {
    run([{ status: 200, body: 'hi' }]);
    const r = await client().c.request({ method: 'GET', path: '/v1/x?y=1' });
    expect(r.text).toBe('hi');
    expect(seen[0]!.url).toBe('/api/v1/x?y=1');
  });

  it('retries 503 with exponential backoff and full jitter', async () => {
    run([{ status: 503 }, { status: 502 }, { status: 200 }]);
    const { c, waits } = client({ backoffBaseMs: 100 });
    expect((await c.request({ method: 'GET', path: '/' })).status).toBe(200);
    expect(waits).toEqual([100, 200]); // random() = 1: the top of each jitter range
    expect(seen).toHaveLength(3);
  });

  it('honours Retry-After in seconds on 429, for any method', async () => {
    run([{ status: 429, headers: { 'retry-after': '3' } }, { status: 202 }]);
    const { c, waits } = client();
    await c.request({ method: 'POST', path: '/', body: 'x' });
    expect(waits).toEqual([3000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    run([{ status: 429, headers: { 'retry-after': new Date(1_700_000_005_000).toUTCString() } }, { status: 200 }]);
    const { c, waits } = client();
    await c.request({ method: 'GET', path: '/' });
    expect(waits).toEqual([5000]);
  });

  it('honours X-RateLimit-Reset as seconds to wait, or as a Unix time', async () => {
    run([{ status: 429, headers: { 'x-ratelimit-reset': '2' } }, { status: 429, headers: { 'x-ratelimit-reset': '1700000007' } }, { status: 200 }]);
    const { c, waits } = client();
    await c.request({ method: 'GET', path: '/' });
    expect(waits).toEqual([2000, 7000]);
  });

  it('fails at once when the server asks to wait longer than allowed', async () => {
    run([{ status: 429, headers: { 'retry-after': '3600' } }]);
    await expect(client({ maxRetryAfterMs: 60_000 }).c.request({ method: 'GET', path: '/' })).rejects.toThrow(/asks to wait 3600s/);
    expect(seen).toHaveLength(1);
  });

  it('gives up after the last retry', async () => {
    run([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }]);
    await expect(client().c.request({ method: 'GET', path: '/' })).rejects.toThrow(/HTTP 503/);
    expect(seen).toHaveLength(4);
  });

  it('retries a dropped connection for idempotent requests', async () => {
    run(['drop', { status: 200 }]);
    expect((await client().c.request({ method: 'DELETE', path: '/' })).status).toBe(200);
    run(['drop', { status: 202 }]);
    expect((await client().c.request({ method: 'POST', path: '/', idempotent: true })).status).toBe(202);
  });

  it('does not retry a dropped POST that may have been applied', async () => {
    run(['drop', { status: 200 }]);
    await expect(client().c.request({ method: 'POST', path: '/' })).rejects.toThrow(/not retried because the request may have been applied/);
    expect(seen).toHaveLength(1);
  });

  it('does not retry 503 for a POST that is not idempotent', async () => {
    run([{ status: 503 }, { status: 200 }]);
    await expect(client().c.request({ method: 'POST', path: '/' })).rejects.toThrow(/HTTP 503/);
  });

  it('times out each attempt', async () => {
    run([{ hangMs: 500 }, { status: 200 }]);
    const { c } = client({ timeoutMs: 100 });
    expect((await c.request({ method: 'GET', path: '/' })).status).toBe(200);
    run([{ hangMs: 500 }]);
    await expect(client({ timeoutMs: 100, retries: 0 }).c.request({ method: 'GET', path: '/' })).rejects.toThrow(/no response within 0.1s/);
  });

  it('maps 404 to NotFound and 409/412 to Conflict, other errors to ProviderError with the status', async () => {
    run([{ status: 404, body: 'no rule groups found' }]);
    await expect(client().c.request({ method: 'GET', path: '/' })).rejects.toBeInstanceOf(NotFound);
    run([{ status: 409 }]);
    await expect(client().c.request({ method: 'PUT', path: '/' })).rejects.toBeInstanceOf(Conflict);
    run([{ status: 412 }]);
    await expect(client().c.request({ method: 'PUT', path: '/' })).rejects.toBeInstanceOf(Conflict);
    run([{ status: 400, body: 'bad rule' }]);
    const e = (await client().c.request({ method: 'POST', path: '/x' }).catch((x: unknown) => x)) as ProviderError;
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.status).toBe(400);
    expect(e.message).toBe(`POST ${base}/api/x: HTTP 400: bad rule`);
  });

  it('sends its headers but never puts them, or URL credentials, in messages', async () => {
    run([{ status: 500, body: 'nope' }]);
    const c = new HttpClient({ baseUrl: `http://user:hunter2@127.0.0.1:${new URL(base).port}/api`, headers: { 'DD-API-KEY': 'sekret-key' }, retries: 0 });
    const e = (await c.request({ method: 'GET', path: '/?api_key=sekret-query' }).catch((x: unknown) => x)) as Error;
    expect(seen[0]!.headers['dd-api-key']).toBe('sekret-key');
    expect(seen[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('user:hunter2').toString('base64')}`);
    expect(e.message).not.toMatch(/sekret|hunter2/);
    expect(safeUrl('https://u:p@host/x?token=t')).toBe('https://host/x');
  });

  it('refuses a header value fetch would reject, naming the header, never its value, and without retrying', async () => {
    run([]);
    const { c, waits } = client({ headers: { Authorization: 'Bearer S3CRET-RULER\nTOKEN' } });
    const e = (await c.request({ method: 'GET', path: '/x' }).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.message).toMatch(/the Authorization header holds a character HTTP does not allow/);
    expect(e.message).not.toMatch(/S3CRET|TOKEN/);
    expect([seen.length, waits.length]).toEqual([0, 0]);
  });

  it('cuts header values out of whatever a failed fetch says', async () => {
    const leaky = (async (_url: unknown, init: { headers: Record<string, string> }) => {
      throw new TypeError('fetch failed', { cause: new Error(`proxy refused ${init.headers['X-Api-Key']}`) });
    }) as unknown as typeof fetch;
    const { c } = client({ headers: { 'X-Api-Key': 'k-0123456789abcdef' }, fetch: leaky, retries: 0 });
    const e = (await c.request({ method: 'GET', path: '/x' }).catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(/connection failed \(proxy refused \[redacted\]\)/);
    expect(e.message).not.toContain('k-0123456789abcdef');
  });

  it('cuts header values out of an error page that echoes them, for every provider', async () => {
    run([{ status: 400, body: 'bad request, Authorization: Bearer tok-0123456789abcdef' }]);
    const { c } = client({ headers: { Authorization: 'Bearer tok-0123456789abcdef' } });
    const e = (await c.request({ method: 'GET', path: '/x' }).catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(/HTTP 400: bad request, Authorization: \[redacted\]/);
  });
});
