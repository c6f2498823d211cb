/**
 * The fake Grafana is only worth testing against if it answers like the real one: the save rules of
 * Grafana's dashboard store (versions, uid and title uniqueness), the documented answer shapes, the
 * token, and the published dashboard schema.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGrafana, type FakeGrafana, type Json } from '../../fakes/grafana/server.js';

const TOKEN = 'glsa_fake_test';
const board = (uid: string, title: string, tags: string[] = []): Json => ({ id: null, uid, title, tags, schemaVersion: 39, templating: { list: [] }, annotations: { list: [] }, panels: [] });

let fake: FakeGrafana;
beforeAll(async () => {
  fake = await startFakeGrafana(TOKEN);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function call(method: string, p: string, body?: unknown, token = TOKEN): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${fake.url}${p}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

const save = (dashboard: Json, extra: Json = {}) => call('POST', '/api/dashboards/db', { dashboard, folderUid: '', overwrite: false, ...extra });

describe('fake Grafana', () => {
  it('creates with version 1, updates only with the current version, and says version-mismatch otherwise', async () => {
    expect(await save(board('a', 'A'))).toMatchObject({ status: 200, json: { uid: 'a', version: 1, status: 'success', url: '/d/a/a', slug: 'a' } });
    expect(await save(board('a', 'A'))).toEqual({ status: 412, json: { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' } });
    expect(await save({ ...board('a', 'A2'), version: 1 })).toMatchObject({ status: 200, json: { version: 2 } });
    expect(await save({ ...board('a', 'A3'), version: 1 })).toMatchObject({ status: 412 });
    expect(await save({ ...board('a', 'A3'), version: 1 }, { overwrite: true })).toMatchObject({ status: 200, json: { version: 3 } });
    const got = (await call('GET', '/api/dashboards/uid/a')).json as { dashboard: Json; meta: Json };
    expect(got.dashboard).toMatchObject({ uid: 'a', title: 'A3', version: 3 });
    expect(typeof got.dashboard['id']).toBe('number');
    expect(got.meta).toMatchObject({ folderUid: '', folderTitle: 'General', version: 3, slug: 'a3' });
  });

  it('refuses a second dashboard with the same title in a folder, a long uid, an unknown folder, and a body the schema rejects', async () => {
    await save(board('a', 'Same'));
    expect(await save(board('b', 'same'))).toMatchObject({ status: 412, json: { status: 'name-exists' } });
    expect((await save(board('x'.repeat(41), 'Long'))).status).toBe(400);
    expect((await save(board('c', 'C'), { folderUid: 'nope' })).status).toBe(400);
    const bad = await save({ ...board('d', 'D'), refreshh: '1m' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/refreshh/);
  });

  it('searches by tag (all given tags), pages with limit/page, and answers like the search API', async () => {
    fake.seedFolder('f1', 'Folder');
    await save(board('b', 'Bravo', ['x', 'managed-by:slo']), { folderUid: 'f1' });
    await save(board('a', 'Alpha', ['managed-by:slo']));
    await save(board('c', 'Charlie', ['x']));
    const hits = (await call('GET', '/api/search?type=dash-db&tag=managed-by:slo')).json as Json[];
    expect(hits.map((h) => h['uid'])).toEqual(['a', 'b']);
    expect(hits[1]).toMatchObject({ type: 'dash-db', title: 'Bravo', url: '/d/b/bravo', uri: 'db/bravo', folderUid: 'f1', folderTitle: 'Folder', tags: ['x', 'managed-by:slo'] });
    expect(hits[0]).not.toHaveProperty('folderUid');
    expect(((await call('GET', '/api/search?type=dash-db&tag=x&tag=managed-by:slo')).json as Json[]).map((h) => h['uid'])).toEqual(['b']);
    expect(((await call('GET', '/api/search?type=dash-db&limit=2&page=2')).json as Json[]).map((h) => h['uid'])).toEqual(['c']);
  });

  it('creates folders once per uid and per title, and needs the token everywhere', async () => {
    expect((await call('POST', '/api/folders', { uid: 'f', title: 'SLOs' })).status).toBe(200);
    expect((await call('POST', '/api/folders', { uid: 'f', title: 'Other' })).status).toBe(409);
    expect((await call('POST', '/api/folders', { uid: 'g', title: 'SLOs' })).status).toBe(409);
    expect((await call('GET', '/api/folders/f')).json).toMatchObject({ uid: 'f', title: 'SLOs', version: 1 });
    expect((await call('GET', '/api/folders', undefined, 'wrong')).status).toBe(401);
    expect(fake.stats.unauthorized).toBe(1);
  });
});
