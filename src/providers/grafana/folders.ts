/**
 * The folder slo's dashboards live in. The config names it by title (`grafana.folder`, default `SLOs`);
 * slo finds it, in this order, by the stable uid it would give it, or by that title among the top-level
 * folders (a folder someone made by hand is used as it is), and creates it with the stable uid only when
 * neither exists. Resolved once, on the first write, and only when something is written.
 */
import { isPlainObject } from '../../plan/canonical.js';
import { limitLength, shortHash } from '../../model/conventions.js';
import { Conflict, NotFound, ProviderError } from '../errors.js';
import type { HttpClient } from '../http.js';

export const DEFAULT_FOLDER_TITLE = 'SLOs';
/** What Grafana calls the top level; as a folder title in the config it means "no folder". */
export const ROOT_FOLDER_TITLE = 'General';

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
const PAGE_SIZE = 1000;

/** `SLOs` → `slo-folder-slos`: derived from the title, so every run and every machine agrees on it. */
export function folderUid(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return limitLength(`slo-folder-${slug || shortHash(title, 8)}`, 40);
}

export class FolderResolver {
  private pending: Promise<string> | undefined;

  constructor(
    private readonly client: HttpClient,
    readonly title: string,
  ) {}

  /** The folder's uid (`''` for the top level), creating the folder on first use. */
  uid(): Promise<string> {
    this.pending ??= this.resolve().catch((e: unknown) => {
      // A failure is not remembered: the next write tries again.
      this.pending = undefined;
      throw e;
    });
    return this.pending;
  }

  private async resolve(): Promise<string> {
    if (this.title === ROOT_FOLDER_TITLE) return '';
    const uid = folderUid(this.title);
    if (await this.exists(uid)) return uid;
    const byTitle = await this.findByTitle();
    if (byTitle !== undefined) return byTitle;
    try {
      await this.client.request({
        method: 'POST',
        path: '/api/folders',
        body: JSON.stringify({ uid, title: this.title }),
        headers: JSON_HEADERS,
        // The uid makes a repeated POST harmless: the second one is refused with 409, handled below.
        idempotent: true,
      });
      return uid;
    } catch (e) {
      // The first attempt created it and its response was lost, or someone created it just now.
      if (e instanceof Conflict && (await this.exists(uid))) return uid;
      if (e instanceof Conflict) throw new Conflict(`cannot create the Grafana folder "${this.title}": ${e.message}`, e.status);
      throw e;
    }
  }

  private async exists(uid: string): Promise<boolean> {
    try {
      await this.client.request({ method: 'GET', path: `/api/folders/${encodeURIComponent(uid)}`, headers: JSON_HEADERS });
      return true;
    } catch (e) {
      if (e instanceof NotFound) return false;
      throw e;
    }
  }

  private async findByTitle(): Promise<string | undefined> {
    for (let page = 1; ; page++) {
      const res = await this.client.request({ method: 'GET', path: `/api/folders?limit=${PAGE_SIZE}&page=${page}`, headers: JSON_HEADERS });
      const folders = parseJson(res.text, 'GET /api/folders');
      if (!Array.isArray(folders)) throw new ProviderError('Grafana answered GET /api/folders with something that is not a list');
      const match = folders.find((f) => isPlainObject(f) && f['title'] === this.title && typeof f['uid'] === 'string');
      if (match) return (match as { uid: string }).uid;
      if (folders.length < PAGE_SIZE) return undefined;
    }
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError(`Grafana answered ${what} with something that is not JSON`);
  }
}
