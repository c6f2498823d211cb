/**
 * Provider (a): a directory of rule files that Prometheus loads (`rule_files: [<dir>/*.yaml]`). Each
 * service's groups live in `slo-<service>.rules.yaml`; after writing, Prometheus is told to reload
 * (`POST /-/reload`, which needs `--web.enable-lifecycle`). Only files with slo's name and ownership mark
 * are read as owned, rewritten or deleted (rule-file.ts). Files are replaced atomically (temp file in
 * the same directory, then rename), so Prometheus never loads half a file; the temp name does not end
 * in `.yaml`, so a reload in between does not pick it up.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Resource } from '../../backends/backend.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { resourceAddress } from '../../model/conventions.js';
import type { OwnedResource } from '../../plan/types.js';
import { Conflict, ProviderError } from '../errors.js';
import { HttpClient, safeUrl } from '../http.js';
import type { Provider, ProviderSettings } from '../provider.js';
import { normalizeRuleGroup, RULE_GROUP_KIND } from './normalize.js';
import { hasOwnershipMark, parseRuleFile, renderRuleFile, ruleFileName, serviceOfFileName } from './rule-file.js';

export interface RulesDirOptions {
  readonly rulesDir: string;
  readonly reloadUrl?: string;
}

export class RulesDirProvider implements Provider {
  readonly backend = 'prometheus';
  readonly kinds = [RULE_GROUP_KIND];
  readonly endpoint: string;
  private readonly dir: string;
  private readonly reload: { client: HttpClient; path: string } | undefined;
  /** One queue per file: changes to groups of the same service run concurrently but write in turn. */
  private readonly locks = new Map<string, Promise<unknown>>();
  private dirty = false;

  constructor(options: RulesDirOptions, settings: ProviderSettings) {
    this.dir = path.resolve(options.rulesDir);
    if (options.reloadUrl) {
      const url = new URL(options.reloadUrl);
      this.reload = { client: new HttpClient({ baseUrl: url.origin, timeoutMs: settings.timeoutMs }), path: `${url.pathname}${url.search}` };
    } else {
      this.reload = undefined;
    }
    this.endpoint = `rules directory ${this.dir}${options.reloadUrl ? `, reload ${safeUrl(options.reloadUrl)}` : ''}`;
  }

  async listOwned(): Promise<OwnedResource[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ProviderError(`cannot read the rules directory ${this.dir}: ${(e as Error).message}`);
    }
    const out: OwnedResource[] = [];
    const seen = new Map<string, string>();
    for (const name of names) {
      if (serviceOfFileName(name) === undefined) continue;
      const text = await readFile(path.join(this.dir, name), 'utf8');
      if (!hasOwnershipMark(text)) continue;
      for (const group of parseRuleFile(name, text)) {
        const r = this.normalize({ file: name, group });
        const other = seen.get(r.address);
        if (other !== undefined) throw new ProviderError(`rule group ${r.id} is in both ${other} and ${name} in ${this.dir}; remove one of them`);
        seen.set(r.address, name);
        out.push(r);
      }
    }
    return out;
  }

  /** `remote` is `{ file, group }`: a group as read from one of slo's rule files. */
  normalize(remote: unknown): OwnedResource {
    const { file, group } = remote as { file: string; group: unknown };
    const body = normalizeRuleGroup(group, file);
    return {
      address: resourceAddress(this.backend, RULE_GROUP_KIND, body.name),
      backend: this.backend,
      kind: RULE_GROUP_KIND,
      id: body.name,
      service: serviceOfFileName(file) ?? '',
      body,
      handle: file,
    };
  }

  prepare(desired: Resource): { resource: OwnedResource; diagnostics: readonly Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    if (desired.kind !== RULE_GROUP_KIND) diagnostics.push(error('unsupported-kind', `the rules directory takes rule groups, not ${desired.kind}`, undefined, { address: desired.address }));
    const file = ruleFileName(desired.service);
    if (serviceOfFileName(file) === undefined) diagnostics.push(error('bad-rule-file-name', `service "${desired.service}" gives no valid rule file name`, undefined, { address: desired.address }));
    const body = normalizeRuleGroup(desired.body, desired.address);
    return { resource: { ...desired, body, handle: file }, diagnostics };
  }

  async create(desired: OwnedResource): Promise<void> {
    await this.edit(this.fileOf(desired), (groups) => upsert(groups, desired.body as Record<string, unknown>), desired.service);
  }

  async update(desired: OwnedResource, current: OwnedResource): Promise<void> {
    // Moving to another file: write the new place first, so the group is never missing from Prometheus.
    await this.create(desired);
    if (current.handle !== undefined && current.handle !== this.fileOf(desired)) await this.edit(current.handle, (groups) => without(groups, current.id), current.service);
  }

  async delete(current: OwnedResource): Promise<void> {
    await this.edit(this.fileOf(current), (groups) => without(groups, current.id), current.service);
  }

  async finish(): Promise<void> {
    if (!this.dirty || !this.reload) return;
    try {
      await this.reload.client.request({ method: 'POST', path: this.reload.path, idempotent: true });
    } catch (e) {
      throw new ProviderError(`rule files were written, but Prometheus did not reload them: ${(e as Error).message}`);
    }
    this.dirty = false;
  }

  private fileOf(r: OwnedResource): string {
    return r.handle ?? ruleFileName(r.service);
  }

  /** Read-modify-write of one of slo's files under that file's lock; an empty result deletes the file. */
  private edit(file: string, change: (groups: Record<string, unknown>[]) => Record<string, unknown>[], service: string): Promise<void> {
    const previous = this.locks.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.editNow(file, change, service));
    this.locks.set(file, next);
    return next;
  }

  private async editNow(file: string, change: (groups: Record<string, unknown>[]) => Record<string, unknown>[], service: string): Promise<void> {
    if (serviceOfFileName(file) === undefined) throw new Conflict(`${file} is not a file name slo writes; refusing to touch it`);
    const full = path.join(this.dir, file);
    let current: string | undefined;
    try {
      current = await readFile(full, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ProviderError(`cannot read ${full}: ${(e as Error).message}`);
    }
    if (current !== undefined && !hasOwnershipMark(current)) {
      throw new Conflict(`${full} exists and was not written by slo (no "managed-by: slo" header); refusing to overwrite it`);
    }
    const groups = change(current === undefined ? [] : parseRuleFile(file, current));
    if (groups.length === 0) {
      if (current !== undefined) {
        await unlink(full);
        this.dirty = true;
      }
      return;
    }
    const text = renderRuleFile(service, groups);
    if (text === current) return;
    await mkdir(this.dir, { recursive: true });
    await writeAtomically(full, text);
    this.dirty = true;
  }
}

function upsert(groups: Record<string, unknown>[], group: Record<string, unknown>): Record<string, unknown>[] {
  return [...without(groups, String(group['name'])), group];
}

function without(groups: Record<string, unknown>[], name: string): Record<string, unknown>[] {
  return groups.filter((g) => g['name'] !== name);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  // Hidden and not ending in .yaml: Prometheus' rule_files glob never matches a half-written temp file.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new ProviderError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
