/**
 * Provider (a): a directory of rule files that Prometheus loads (`rule_files: [<dir>/*.yaml]`). Each
 * service's groups live in `slo-<service>.rules.yaml`; after writing, Prometheus is told to reload
 * (`POST /-/reload`, which needs `--web.enable-lifecycle`). Only files with slo's name and ownership mark
 * are read as owned, rewritten or deleted (rule-file.ts). Files are replaced atomically (temp file in
 * the same directory, then rename), so Prometheus never loads half a file; the temp name does not end
 * in `.yaml`, so a reload in between does not pick it up.
 *
 * A reload that fails is not forgotten: with a reload URL, a marker file (reload-marker.ts) is rewritten
 * before each rule file is written or deleted and removed only after a reload succeeds, and only if no
 * file changed since the reload read it (two applies on one folder: one's reload does not clear the
 * other's later writes). While it exists, `pending` reports a reload, plan shows it, and apply retries
 * it even when no rule changes.
 *
 * The folder is made level by level (makeDirs): `mkdir({ recursive: true })` spins at full CPU under /proc.
 */
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Resource } from '../../backends/backend.js';
import { fsErrorDiagnostic, makeDirs } from '../../build/write-output.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { resourceAddress } from '../../model/conventions.js';
import type { OwnedResource, PendingAction } from '../../plan/types.js';
import { Conflict, describeError, ProviderError } from '../errors.js';
import { HttpClient, safeUrl, type HttpClientOptions } from '../http.js';
import type { Provider, ProviderSettings } from '../provider.js';
import { stageAtomically } from './atomic-write.js';
import { normalizeRuleGroup, RULE_GROUP_KIND } from './normalize.js';
import { ReloadMarkerFile, type ReloadMarker } from './reload-marker.js';
import { hasOwnershipMark, parseRuleFile, renderRuleFile, ruleFileName, serviceOfFileName } from './rule-file.js';

const RELOAD_ACTION = 'reload rules';
const STILL_PENDING = 'the reload stays pending: slo plan shows it and the next slo apply retries it';

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
  private readonly marker: ReloadMarkerFile;
  /** When this apply first changed a rule file (since its last successful reload), for the marker. */
  private since: string | undefined;
  private dirty = false;

  /** `http` lets tests inject waits for the reload's retries; production uses the defaults. */
  constructor(options: RulesDirOptions, settings: ProviderSettings, http: Partial<HttpClientOptions> = {}) {
    this.dir = path.resolve(options.rulesDir);
    this.marker = new ReloadMarkerFile(this.dir);
    if (options.reloadUrl) {
      const url = new URL(options.reloadUrl);
      this.reload = { client: new HttpClient({ timeoutMs: settings.timeoutMs, ...http, baseUrl: url.origin }), path: `${url.pathname}${url.search}` };
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

  /**
   * Reloads Prometheus if this apply changed a file or an earlier one left the reload pending. On
   * failure the marker stays, now with the reason, so the next plan and apply see it.
   */
  async finish(): Promise<void> {
    if (!this.reload) return;
    const state = await this.marker.read();
    if (!this.dirty && state === undefined) return;
    try {
      await this.reload.client.request({ method: 'POST', path: this.reload.path, idempotent: true });
    } catch (e) {
      const reason = describeError(e);
      const kept = await this.keepPending({ ...(state?.marker.since !== undefined ? { since: state.marker.since } : {}), error: reason });
      throw new ProviderError(`rule files were written, but Prometheus did not reload them: ${reason}; ${kept}`);
    }
    this.dirty = false;
    this.since = undefined;
    if (state !== undefined) await this.marker.removeIf(state.text);
  }

  async pending(): Promise<readonly PendingAction[]> {
    // Without a reload URL slo never reloads (the operator does), so there is nothing it could retry.
    if (!this.reload) return [];
    const state = await this.marker.read();
    if (state === undefined) return [];
    return [{ backend: this.backend, action: RELOAD_ACTION, reason: pendingReason(state.marker) }];
  }

  /** Records the failed reload in the marker; says what that means for the person reading the error. */
  private async keepPending(marker: ReloadMarker): Promise<string> {
    try {
      await this.marker.write(marker);
      return STILL_PENDING;
    } catch (e) {
      // The marker written before the files still says "pending", only without the reason.
      if (await this.marker.read().catch(() => undefined)) return STILL_PENDING;
      // The rule files are right, so no plan will show a change: only a reload by hand fixes this.
      return `and slo could not record the pending reload (${describeError(e)}): reload Prometheus yourself`;
    }
  }

  /**
   * Rewrites the marker, with a text no other write leaves, just before a rule file changes: a crash
   * after it leaves the marker behind, and a reload (of this apply or another) that read the marker
   * before it cannot remove it. One small atomic write per changed file.
   */
  private async markPending(): Promise<void> {
    if (!this.reload) return;
    this.since ??= new Date().toISOString();
    try {
      await this.marker.write({ since: this.since });
    } catch (e) {
      throw new ProviderError(`cannot record that Prometheus must reload (${this.marker.file}), so no rule file was changed: ${describeError(e)}`);
    }
  }

  /** Creates the rules directory (and the marker's folder, the same one) level by level. */
  private async makeRulesDir(): Promise<void> {
    try {
      await makeDirs(this.dir);
    } catch (e) {
      let reason: string;
      try {
        reason = fsErrorDiagnostic(e, 'set prometheus.rulesDir in slo.config.yaml to a folder slo can create and write').summary;
      } catch {
        reason = describeError(e);
      }
      throw new ProviderError(`cannot create the rules directory ${this.dir}: ${reason}`);
    }
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
        await this.markPending();
        await unlink(full);
        this.dirty = true;
      }
      return;
    }
    const text = renderRuleFile(service, groups);
    if (text === current) return;
    await this.makeRulesDir();
    // Written and synced first, so only the rename separates the marker from the file: the window in
    // which another apply's reload reads this marker yet runs before the file is in place is that small.
    const staged = await stageAtomically(full, text);
    try {
      await this.markPending();
    } catch (e) {
      await staged.discard();
      throw e;
    }
    await staged.commit();
    this.dirty = true;
  }
}

function upsert(groups: Record<string, unknown>[], group: Record<string, unknown>): Record<string, unknown>[] {
  return [...without(groups, String(group['name'])), group];
}

function without(groups: Record<string, unknown>[], name: string): Record<string, unknown>[] {
  return groups.filter((g) => g['name'] !== name);
}

function pendingReason(marker: ReloadMarker): string {
  const when = marker.since !== undefined ? ` (${marker.since})` : '';
  if (marker.error !== undefined) return `an earlier apply${when} wrote rule files, but Prometheus did not reload them: ${marker.error}`;
  return `an earlier apply${when} wrote rule files and did not get to reload Prometheus (interrupted, or still running)`;
}
