/**
 * Writes build output atomically. Files go to a staging folder inside the output folder as they are
 * compiled; each target's folder is then swapped in with renames, so a failed build leaves the previous
 * output as it was, and files of services that no longer exist disappear with the old folder. Only the
 * folders of the targets built are replaced, and only if every file in them carries slo's mark: a file
 * someone put there by hand would otherwise be deleted without a word.
 *
 * Also the file-system helpers every command uses for the paths a user names (--out, --dir, --keep):
 * folders made level by level, files written through a temporary name, and the errors a user can cause
 * (a file where a folder should be, no permission, a full disk) turned into one-line diagnostics.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile, mkdtemp, access } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../backends/backend.js';
import { sourceless, type Diagnostic } from '../diagnostics/diagnostic.js';
import { InternalError } from '../diagnostics/errors.js';
import { GENERATED_HEADER } from '../model/conventions.js';

export interface WriteSummary {
  readonly written: number;
  readonly targets: readonly string[];
  /** Files written per target folder (the first segment of each path). */
  readonly perTarget: Readonly<Record<string, number>>;
}

/**
 * An output folder being rebuilt: `write` files, then `publish` them or `discard` them. While it is
 * open, Ctrl-C or a termination signal removes the staging folder before the process dies, so an
 * interrupted build leaves the output folder as it was.
 */
export class StagedOutput {
  private readonly dirs = new Set<string>();
  private written = 0;
  private readonly perTarget: Record<string, number> = {};
  private finished = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.stopListening();
    rmSync(this.staging, { recursive: true, force: true });
    if (this.created !== undefined) removeCreatedFoldersSync(this.outDir, this.created);
    process.kill(process.pid, signal); // the default action now: exit as the signal says
  };

  private constructor(
    private readonly outDir: string,
    private readonly staging: string,
    /** The first folder `open` had to create on the way to the output folder, if any. */
    private readonly created: string | undefined,
  ) {
    for (const signal of SIGNALS) process.once(signal, this.onSignal);
  }

  /** Throws the file system's error when the folder cannot be made; `fsErrorDiagnostic` explains it. */
  static async open(outDir: string): Promise<StagedOutput> {
    const created = await makeDirs(outDir);
    const prefix = path.join(outDir, `${STAGING_PREFIX}${process.pid}-`);
    let staged: StagedOutput;
    try {
      staged = new StagedOutput(outDir, await mkdtemp(prefix), created);
    } catch (e) {
      if (created !== undefined) removeCreatedFoldersSync(outDir, created);
      // The error names the staging folder (out/.slo-build-<pid>-XXXXXX), which the user never named: the
      // output folder is what cannot take it.
      const err = e as NodeJS.ErrnoException | undefined;
      if (typeof err?.path === 'string' && err.path.startsWith(prefix)) err.path = outDir;
      throw e;
    }
    await removeAbandonedStaging(outDir);
    return staged;
  }

  /** Where a path inside the staging folder will end up, for error messages. */
  finalPath(p: string): string {
    const rel = path.relative(this.staging, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(this.outDir, rel);
  }

  /**
   * Errors for files in the targets' current folders that slo did not write: `publish` would delete
   * them with the folder. Call it before `publish`.
   */
  foreignFiles(targets: readonly string[]): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const target of targets) {
      const replaced = `slo replaces the whole ${target}/ folder of ${this.outDir}`;
      for (const { path: file, unreadable } of foreignEntries(path.join(this.outDir, target))) {
        diagnostics.push(
          unreadable
            ? sourceless('output-not-generated', `${file} cannot be read, so slo cannot tell whether it wrote it; ${replaced}: make it readable, move it elsewhere or delete it`)
            : sourceless('output-not-generated', `${file} was not written by slo; ${replaced}: move the file elsewhere or delete it`),
        );
      }
    }
    return diagnostics;
  }

  /**
   * `file.path` is relative to the output root and starts with the target's folder. Synchronous: a
   * build writes thousands of files one after the other, and the thread pool's round trips for each
   * open, write and close cost more than the writes themselves (10,000 SLOs: 5,002 files). The caller
   * yields to the event loop between parts, so Ctrl-C is still handled.
   */
  write(file: OutputFile): void {
    this.written++;
    const target = file.path.split('/', 1)[0]!;
    this.perTarget[target] = (this.perTarget[target] ?? 0) + 1;
    const dest = path.join(this.staging, file.path);
    const dir = path.dirname(dest);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    writeFileSync(dest, file.content);
  }

  /**
   * Swaps the targets' folders in, all or nothing: if a swap fails, the targets already swapped get
   * their previous folders back (last first) before the error is thrown. A target without files gets an
   * empty folder (its old files go). Throws the file system's error, or a `RestoreError` if some
   * previous folder could not be put back (it is then kept in the staging folder, and named).
   */
  async publish(targets: readonly string[]): Promise<WriteSummary> {
    this.finish();
    const undo: UndoStep[] = [];
    let kept: readonly string[] = [];
    try {
      // Swap folder by folder: old → trash, new → place. A crash between the two renames of one
      // target leaves that target's previous output in the trash folder, never a half-written one.
      for (const target of targets) {
        const next = path.join(this.staging, target);
        const current = path.join(this.outDir, target);
        const trash = path.join(this.staging, `.old-${target}`);
        if (!(await pathExists(next))) await mkdir(next, { recursive: true });
        if (await pathExists(current)) {
          await rename(current, trash);
          undo.push({ target, from: trash, to: current, previous: true });
        }
        await rename(next, current);
        undo.push({ target, from: current, to: next, previous: false });
      }
    } catch (e) {
      const failed = await rollBack(undo);
      if (failed.length > 0) {
        kept = failed.filter((s) => s.previous).map((s) => s.from);
        throw new RestoreError(e, this.outDir, failed);
      }
      throw e;
    } finally {
      await this.removeStaging(kept);
    }
    const perTarget = Object.fromEntries(targets.map((t) => [t, this.perTarget[t] ?? 0]));
    return { written: this.written, targets, perTarget };
  }

  /** Removes the staging folder, except the previous output folders in `keep` (and so the staging folder). */
  private async removeStaging(keep: readonly string[]): Promise<void> {
    if (keep.length === 0) {
      await rm(this.staging, { recursive: true, force: true });
      return;
    }
    for (const name of await readdir(this.staging)) {
      const p = path.join(this.staging, name);
      if (!keep.includes(p)) await rm(p, { recursive: true, force: true });
    }
  }

  /** Removes what was staged; the output folder is left as it was before `open`. */
  async discard(): Promise<void> {
    this.finish();
    await rm(this.staging, { recursive: true, force: true });
    if (this.created !== undefined) removeCreatedFoldersSync(this.outDir, this.created);
  }

  private finish(): void {
    if (this.finished) throw new InternalError('staged output published or discarded twice');
    this.finished = true;
    this.stopListening();
  }

  private stopListening(): void {
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Staging folders are named `.slo-build-<pid>-XXXXXX`: the pid tells an abandoned one from a running build's. */
const STAGING_PREFIX = '.slo-build-';
const STAGING_NAME = /^\.slo-build-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * A build killed outright (SIGKILL, a power cut) cannot remove its staging folder. The next build
 * removes those whose process is gone; a folder of a build still running (its pid alive) is left alone.
 */
async function removeAbandonedStaging(outDir: string): Promise<void> {
  try {
    for (const name of await readdir(outDir)) {
      const pid = Number(STAGING_NAME.exec(name)?.[1]);
      if (pid > 0 && pid !== process.pid && !isRunning(pid)) await rm(path.join(outDir, name), { recursive: true, force: true });
    }
  } catch {
    // Tidying only: a folder that cannot be removed now is tried again by the next build.
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it exists, owned by someone else
  }
}

/** A rename `publish` did, to be reversed by renaming `from` back to `to`. */
interface UndoStep {
  readonly target: string;
  readonly from: string;
  readonly to: string;
  /** `from` holds the target's previous output (it is being put back), not the new one (taken away). */
  readonly previous: boolean;
}

/**
 * Reverses `done`, last first. Every step is tried even after one fails, so that every target that can
 * get its previous folder back does. Returns the steps that failed.
 */
async function rollBack(done: readonly UndoStep[]): Promise<UndoStep[]> {
  let failed: UndoStep[] = [];
  for (const step of [...done].reverse()) {
    try {
      await rename(step.from, step.to);
      // The previous folder replaced the new one after all (an empty folder can be renamed over).
      if (step.previous) failed = failed.filter((f) => f.target !== step.target);
    } catch {
      failed.push(step);
    }
  }
  return failed;
}

/**
 * `publish` failed (`cause`), and putting the previous output back failed too: the output folder is
 * left part old, part new. Says where each previous folder is, so that it can be put back by hand.
 */
export class RestoreError extends Error {
  /** One line per folder left wrong, as the user would read it. */
  readonly problems: readonly string[];

  constructor(
    override readonly cause: unknown,
    outDir: string,
    failed: readonly UndoStep[],
  ) {
    const problems = failed.map((s) =>
      s.previous
        ? `the previous ${s.target}/ folder of ${outDir} could not be put back; it is in ${s.from}: move it to ${s.to} by hand`
        : `${s.from} holds this failed build's output and could not be taken back: delete it, or run the build again`,
    );
    super(`${String((cause as Error | undefined)?.message ?? cause)}; ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** Writes `files` (paths relative to the output root) and swaps the targets' folders in. */
export async function writeOutput(outDir: string, targets: readonly string[], files: Iterable<OutputFile>): Promise<WriteSummary> {
  const staged = await StagedOutput.open(outDir);
  try {
    for (const f of files) await staged.write(f);
  } catch (e) {
    await discardAndRethrow(staged, e);
  }
  return staged.publish(targets);
}

/** Discards the staged output after `error`; the error is what the caller sees, even if discarding fails too. */
export async function discardAndRethrow(staged: StagedOutput, error: unknown): Promise<never> {
  try {
    await staged.discard();
  } catch {
    // The original error says what went wrong; a failed cleanup on top of it would hide that.
  }
  throw error;
}

/** Whether something exists at `p` (any kind of file). */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Removes the folders from `innermost` up to `outermost` (one that makeDirs created), as long as they are empty. */
function removeCreatedFoldersSync(innermost: string, outermost: string): void {
  for (let dir = path.resolve(innermost); ; dir = path.dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty (something else was put there meanwhile): leave it and its parents
    }
    if (dir === path.resolve(outermost) || path.dirname(dir) === dir) return;
  }
}

// ---------------------------------------------------------------------------------------------------
// Paths the user names.

/** File-system errors a user causes with the paths they give, as they would put it. */
const USER_FS_ERRORS: Readonly<Record<string, (p: string) => string>> = {
  EEXIST: (p) => `${p} is a file, not a folder`,
  ENOTDIR: (p) => `${blockingFile(p) ?? p} is a file, not a folder`,
  EISDIR: (p) => `${p} is a folder, not a file`,
  EACCES: (p) => `permission denied: cannot write ${p}`,
  EPERM: (p) => `operation not permitted: cannot write ${p}`,
  EROFS: (p) => `${p} is on a read-only file system`,
  ENOSPC: (p) => `no space left on the device to write ${p}`,
  EDQUOT: (p) => `disk quota exceeded: cannot write ${p}`,
  ENAMETOOLONG: (p) => `the path ${p} is too long`,
  // rename of a mount point (or a folder the system holds open), and of a folder on another file system.
  EBUSY: (p) => `${p} is a mount point or in use, and slo cannot move it`,
  EXDEV: (p) => `${p} is on another file system than the rest of its output folder, and slo cannot move it`,
  // mkdir of a missing folder whose parent exists: the file system refuses new entries (/proc, /sys).
  ENOENT: (p) => `${p} cannot be created there`,
};

/**
 * A file-system error the user can cause, as a one-line diagnostic naming the path, followed by `hint`
 * (what to do, e.g. "choose another --out"). `shown` maps the path in the error to the one the user
 * knows (a temporary file to the file it becomes). Any other error is rethrown: it is a bug in slo.
 */
export function fsErrorDiagnostic(e: unknown, hint: string, shown: (p: string) => string = (p) => p): Diagnostic {
  const err = e as NodeJS.ErrnoException | undefined;
  const describe = typeof err?.code === 'string' ? USER_FS_ERRORS[err.code] : undefined;
  if (describe === undefined || typeof err?.path !== 'string') throw e;
  return sourceless('output-path', `${describe(shown(err.path))}; ${hint}`);
}

/**
 * Creates `dir` and its missing parents one level at a time; returns the outermost folder it created
 * (undefined if `dir` existed). Not `mkdir({ recursive: true })`: under /proc that retries forever at
 * full CPU, and level by level the error names the level that failed. Throws the file system's error.
 */
export async function makeDirs(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let p = path.normalize(dir); !(await isDirectory(p)); p = path.dirname(p)) {
    missing.push(p);
    if (path.dirname(p) === p) break;
  }
  missing.reverse();
  for (const p of missing) {
    try {
      await mkdir(p);
    } catch (e) {
      // Made by someone else meanwhile: fine. A file of that name: the EEXIST the caller explains.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !(await isDirectory(p))) throw e;
    }
  }
  return missing[0];
}

/**
 * Checks, before the work that produces it, that `p` can become a file (or a folder): it is not a
 * folder (a file), and no file stands where one of its parent folders should be. The rest (permissions,
 * space) shows when writing.
 */
export function outputPathProblem(p: string, kind: 'file' | 'folder', hint: string): Diagnostic | undefined {
  let isDir: boolean | undefined;
  try {
    isDir = statSync(p).isDirectory();
  } catch {
    isDir = undefined;
  }
  if (isDir === true && kind === 'file') return sourceless('output-path', `${p} is a folder, not a file; ${hint}`);
  if (isDir === false && kind === 'folder') return sourceless('output-path', `${p} is a file, not a folder; ${hint}`);
  if (isDir !== undefined) return undefined;
  const blocking = blockingFile(path.dirname(path.normalize(p)));
  return blocking === undefined ? undefined : sourceless('output-path', `${blocking} is a file, not a folder; ${hint}`);
}

/**
 * Writes `file` through a temporary file beside it and a rename, creating missing parent folders: a
 * crash or a full disk never leaves half a file, and a failure leaves no temporary file or new folder.
 */
export async function writeFileAtomic(file: string, content: string, hint: string): Promise<Diagnostic | undefined> {
  const problem = outputPathProblem(file, 'file', hint);
  if (problem) return problem;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  let created: string | undefined;
  try {
    created = await makeDirs(dir);
    await writeFile(tmp, content);
    await rename(tmp, file);
    return undefined;
  } catch (e) {
    rmSync(tmp, { force: true });
    if (created !== undefined) removeCreatedFoldersSync(dir, created);
    return fsErrorDiagnostic(e, hint, (p) => (p === tmp ? file : p));
  }
}

/** The first path, from `p` up, that exists and is not a folder: what makes ENOTDIR. */
function blockingFile(p: string): string | undefined {
  for (let q = path.normalize(p); ; q = path.dirname(q)) {
    try {
      if (!statSync(q).isDirectory()) return q;
    } catch {
      // missing, or below a file: look further up
    }
    if (path.dirname(q) === q) return undefined;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// slo's mark.

const MARK = Buffer.from(GENERATED_HEADER);
/** slo puts the mark within the first 200 bytes of YAML files (a header comment) and most JSON files. */
const MARK_WINDOW = 4096;
/**
 * A Grafana dashboard has the service's description before it, which can be long: JSON files are read
 * further, in chunks of this size, to their end if need be.
 */
const MARK_CHUNK_JSON = 64 * 1024;
const markBuffer = Buffer.alloc(MARK_CHUNK_JSON);

/**
 * Whether slo wrote `file`: its start carries the mark. Reads a few KiB; a JSON file without the mark in
 * its first 64 KiB is read on to its end, in chunks (a dashboard's description can be longer).
 */
export function hasGeneratedMark(file: string): boolean {
  return markOf(file) === 'marked';
}

type MarkState = 'marked' | 'unmarked' | 'unreadable';

function markOf(file: string): MarkState {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return 'unreadable';
  }
  try {
    let filled = readSync(fd, markBuffer, 0, MARK_WINDOW, 0);
    if (markBuffer.subarray(0, filled).includes(MARK)) return 'marked';
    if (filled < MARK_WINDOW || !file.endsWith('.json')) return 'unmarked';
    // Chunk by chunk, each after the last MARK.length - 1 bytes of the one before: a mark cut in two
    // by a chunk boundary is found whole.
    for (let position = filled; ; ) {
      const n = readSync(fd, markBuffer, filled, markBuffer.length - filled, position);
      if (n === 0) return 'unmarked';
      position += n;
      filled += n;
      if (markBuffer.subarray(0, filled).includes(MARK)) return 'marked';
      const overlap = Math.min(filled, MARK.length - 1);
      markBuffer.copyWithin(0, filled - overlap, filled);
      filled = overlap;
    }
  } catch {
    return 'unreadable';
  } finally {
    closeSync(fd);
  }
}

/** A file slo cannot show it wrote: it lacks the mark, or it (or the folder holding it) cannot be read. */
export interface ForeignEntry {
  readonly path: string;
  readonly unreadable: boolean;
}

/**
 * Files under `p` (or `p` itself, if a file) that slo did not write, sorted. Links and other non-files
 * count as not written by slo: it writes none. Synchronous: cheaper per file than a promise per call.
 */
export function unmarkedFiles(p: string): string[] {
  return foreignEntries(p).map((e) => e.path);
}

/**
 * Like `unmarkedFiles`, telling the files without the mark from what cannot be read: a file or folder
 * that cannot be read cannot be shown to be slo's either, so it counts as foreign (never as absent).
 */
export function foreignEntries(p: string): ForeignEntry[] {
  let info;
  try {
    info = statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? [] : [{ path: p, unreadable: true }];
  }
  if (!info.isDirectory()) return fileEntry(p, info.isFile());
  let entries;
  try {
    entries = readdirSync(p, { withFileTypes: true });
  } catch {
    return [{ path: p, unreadable: true }];
  }
  const out: ForeignEntry[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(p, entry.name);
    if (entry.isDirectory()) out.push(...foreignEntries(full));
    else out.push(...fileEntry(full, entry.isFile()));
  }
  return out;
}

function fileEntry(p: string, isFile: boolean): ForeignEntry[] {
  // Not opened unless a plain file: opening a FIFO would wait for a writer.
  const state: MarkState = isFile ? markOf(p) : 'unmarked';
  return state === 'marked' ? [] : [{ path: p, unreadable: state === 'unreadable' }];
}
