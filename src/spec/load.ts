/**
 * Reads spec files: discovery, size and encoding checks, YAML parsing with a source map. The only I/O
 * of the spec stage. Hostile input (alias bombs, huge files, bad bytes, duplicate keys) ends here as
 * diagnostics, never as an exception.
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isCollection, isPair, isScalar, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { error, type Diagnostic, type Result, type SourceRange } from '../diagnostics/diagnostic.js';
import { parsePlainYaml, placePlainYaml } from './plain-yaml.js';
import { SourceMap, type ParsedYaml } from './source-map.js';

/** Spec files larger than this are refused: a service spec is a few kilobytes. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Aliases are legitimate in YAML, but a few dozen cover any real spec; more is a billion-laughs bomb. */
export const MAX_ALIAS_COUNT = 100;
/**
 * A spec nests about eight levels deep. Far deeper documents are refused before anything recurses over
 * them (conversion to JS, the schema check), so no input can exhaust the stack.
 */
export const MAX_NESTING_DEPTH = 64;

export type SpecFormat = 'slo/v1' | 'openslo/v1' | 'sloth/prometheus-v1';

/** One YAML document of a spec file, parsed but not yet checked against a schema. */
export interface LoadedDocument {
  readonly file: string;
  /** Position of the document in its file (0-based), for multi-document OpenSLO files. */
  readonly index: number;
  readonly data: unknown;
  readonly map: SourceMap;
  readonly format: SpecFormat;
}

const SPEC_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * Expands the given paths (files or directories, recursively) into a sorted list of spec files.
 * Symbolic links are followed, as a shell glob would: teams link shared specs into `slos/`, and a
 * linked spec that is silently skipped would drop its service from every build (and `--prune` would
 * delete its objects). A link that points nowhere, or a `.yaml` name that is not a regular file (a
 * FIFO, a device), is an error rather than a skip, for the same reason. A file or folder reached by
 * several paths (its own and a link's) is read once, under the first path in sorted order: a spec
 * read twice would be reported as a duplicate service.
 */
export async function discoverSpecFiles(paths: readonly string[]): Promise<Result<string[]>> {
  const seen: Seen = { files: new Set(), folders: new Set() };
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      diagnostics.push(error('path-not-found', `no such file or directory: ${p}`, undefined));
      continue;
    }
    if (info.isDirectory()) {
      const found = await walk(p, seen);
      files.push(...found.value);
      diagnostics.push(...found.diagnostics);
    } else if (!info.isFile()) {
      // Named on the command line as in a folder: reading a FIFO blocks for a writer, /dev/zero never ends.
      diagnostics.push(notAFile(p));
    } else if (await isFirstVisit(p, seen.files)) {
      files.push(path.normalize(p));
    }
  }
  return { value: files.sort(), diagnostics };
}

function notAFile(file: string): Diagnostic {
  return error('not-a-file', `${file} is not a regular file (a pipe, socket or device); spec files must be files`, at(file));
}

/** Real paths already taken, across the whole discovery. */
interface Seen {
  readonly files: Set<string>;
  readonly folders: Set<string>;
}

async function isFirstVisit(p: string, taken: Set<string>): Promise<boolean> {
  const real = await realpath(p).catch(() => path.resolve(p));
  if (taken.has(real)) return false;
  taken.add(real);
  return true;
}

async function walk(dir: string, seen: Seen): Promise<Result<string[]>> {
  const out: string[] = [];
  const diagnostics: Diagnostic[] = [];
  // A folder reached again (a link back up, or to a folder walked elsewhere) is walked once.
  if (!(await isFirstVisit(dir, seen.folders))) return { value: out, diagnostics };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    diagnostics.push(error('file-unreadable', `cannot read the folder ${dir}: ${(e as Error).message}`, at(dir)));
    return { value: out, diagnostics };
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // the first path of a file reached twice
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    const isSpecName = SPEC_EXTENSIONS.has(path.extname(e.name));
    let kind: 'file' | 'directory' | 'other' = e.isFile() ? 'file' : e.isDirectory() ? 'directory' : 'other';
    if (e.isSymbolicLink()) {
      try {
        const target = await stat(full);
        kind = target.isFile() ? 'file' : target.isDirectory() ? 'directory' : 'other';
      } catch {
        if (isSpecName) diagnostics.push(error('broken-link', `${full} is a symbolic link to a file that does not exist`, at(full)));
        continue;
      }
    }
    if (kind === 'directory') {
      const found = await walk(full, seen);
      out.push(...found.value);
      diagnostics.push(...found.diagnostics);
    } else if (isSpecName) {
      if (kind !== 'file') diagnostics.push(notAFile(full));
      else if (await isFirstVisit(full, seen.files)) out.push(path.normalize(full));
    }
  }
  return { value: out, diagnostics };
}

export async function loadSpecFiles(paths: readonly string[]): Promise<Result<LoadedDocument[]>> {
  const discovered = await discoverSpecFiles(paths);
  const diagnostics: Diagnostic[] = [...discovered.diagnostics];
  const docs: LoadedDocument[] = [];
  for (const file of discovered.value) {
    let bytes: Buffer;
    // Synchronous reads: spec files are small and read one after the other anyway, and a promise per
    // stat and read cost more CPU than the reads themselves. The calls and their errors are the same.
    try {
      const info = statSync(file);
      // Discovery has checked; a file swapped for a pipe since then must not hang the read either.
      if (!info.isFile()) {
        diagnostics.push(notAFile(file));
        continue;
      }
      const size = info.size;
      if (size > MAX_FILE_BYTES) {
        diagnostics.push(error('file-too-large', `file is ${size} bytes; spec files are limited to ${MAX_FILE_BYTES} bytes`, at(file)));
        continue;
      }
      bytes = readFileSync(file);
    } catch (e) {
      diagnostics.push(error('file-unreadable', `cannot read file: ${(e as Error).message}`, at(file)));
      continue;
    }
    const parsed = parseSpecText(file, bytes);
    docs.push(...parsed.value);
    diagnostics.push(...parsed.diagnostics);
  }
  return { value: docs, diagnostics };
}

/** Decoding without `stream` keeps no state between calls, so one decoder serves every file. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one file's bytes. Exported for tests and for `slo import` of single files. */
export function parseSpecText(file: string, bytes: Uint8Array): Result<LoadedDocument[]> {
  const diagnostics: Diagnostic[] = [];
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    const { line, col } = firstInvalidUtf8(bytes);
    const hint = looksLikeUtf16(bytes) ? ' (it looks like UTF-16; save it as UTF-8)' : '';
    return { value: [], diagnostics: [error('invalid-encoding', `file is not valid UTF-8${hint}`, { file, start: { line, col }, end: { line, col: col + 1 } })] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const control = firstControlCharacter(text);
  if (control) {
    const code = `0x${control.char.toString(16).padStart(2, '0')}`;
    return { value: [], diagnostics: [error('invalid-encoding', `file contains the control character ${code}; is it a binary file?`, { file, start: control.pos, end: { line: control.pos.line, col: control.pos.col + 1 } })] };
  }

  // Most specs are plain block YAML, which the fast reader takes in a fraction of the time; the full
  // parse, for positions, happens only if a diagnostic asks for one.
  const plain = parsePlainYaml(text);
  if (plain !== undefined) {
    const map = new SourceMap(file, { parse: () => parseYaml(text)[0]!, place: () => placePlainYaml(text) }, text);
    const format = detectFormat(plain);
    if (format === undefined) return { value: [], diagnostics: [describeUnknownFormat(plain, map)] };
    return { value: [{ file, index: 0, data: plain, map, format }], diagnostics: [] };
  }

  const nonEmpty = parseYaml(text);
  if (nonEmpty.length === 0) {
    return { value: [], diagnostics: [error('empty-file', 'file holds no YAML document; expected a spec (apiVersion: slo/v1)', at(file))] };
  }

  const out: LoadedDocument[] = [];
  for (const [index, parsed] of nonEmpty.entries()) {
    const { doc } = parsed;
    const map = new SourceMap(file, parsed, text);
    if (doc.errors.length > 0) {
      diagnostics.push(...yamlErrors(doc, map, text));
      continue;
    }
    const tooDeep = firstNodeDeeperThan(doc.contents, MAX_NESTING_DEPTH);
    if (tooDeep) {
      diagnostics.push(error('yaml-too-deep', `YAML nests deeper than ${MAX_NESTING_DEPTH} levels; a spec needs about 8. Refusing to load`, rangeAt(map, tooDeep)));
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      diagnostics.push(error('yaml-alias-limit', `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions); refusing to load what looks like an alias bomb`, map.fileStart()));
      continue;
    }
    const format = detectFormat(data);
    if (format === undefined) {
      diagnostics.push(describeUnknownFormat(data, map));
      continue;
    }
    out.push({ file, index, data, map, format });
  }

  const own = out.filter((d) => d.format === 'slo/v1');
  if (own.length > 1) {
    const second = own[1]!;
    diagnostics.push(
      error('multiple-documents', 'an slo/v1 file holds exactly one Service; split the services into one file each', second.map.locate([]), {
        detail: 'Multi-document files are accepted for OpenSLO, whose SLO, SLI and Service kinds are often kept together.',
      }),
    );
    return { value: out.filter((d) => d.format !== 'slo/v1' || d === own[0]), diagnostics };
  }
  return { value: out, diagnostics };
}

/** The non-empty documents of a text, as the `yaml` library parses them (all share one line index). */
function parseYaml(text: string): ParsedYaml[] {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const all: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  return all.filter((doc) => !isEmptyDocument(doc)).map((doc) => ({ doc, lines }));
}

function detectFormat(data: unknown): SpecFormat | undefined {
  // The OpenSLO Go SDK and oslo write several objects as one YAML list; the importer reads those too.
  if (Array.isArray(data)) {
    const isOpenSlo = (x: unknown) => typeof x === 'object' && x !== null && isOpenSloVersion((x as Record<string, unknown>)['apiVersion']);
    return data.length > 0 && data.every(isOpenSlo) ? 'openslo/v1' : undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const rec = data as Record<string, unknown>;
  if (rec['apiVersion'] === 'slo/v1') return 'slo/v1';
  // Every OpenSLO version goes to the importer, which explains what it cannot read (v1alpha, v2alpha).
  if (isOpenSloVersion(rec['apiVersion'])) return 'openslo/v1';
  // Only Sloth writes `version: prometheus/v1`. A Sloth file with a key missing or misspelt (`slo:`)
  // is still one, and the importer says what is missing; refusing its version would contradict itself.
  if (rec['version'] === 'prometheus/v1' && !('apiVersion' in rec)) return 'sloth/prometheus-v1';
  return undefined;
}

function isOpenSloVersion(v: unknown): boolean {
  return typeof v === 'string' && /^openslo(\.com)?\//.test(v);
}

function describeUnknownFormat(data: unknown, map: SourceMap): Diagnostic {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return error('not-a-spec', 'expected a mapping with apiVersion: slo/v1 at the top of the document', map.locate([]));
  }
  const rec = data as Record<string, unknown>;
  if (!('apiVersion' in rec) && !('version' in rec)) {
    return error('missing-api-version', 'missing apiVersion; write apiVersion: slo/v1 (OpenSLO openslo/v1 and Sloth version: prometheus/v1 are also read)', map.locate([]));
  }
  // The key the file wrote: `version: prometheus/v2` is a Sloth file with a version slo does not read.
  const key = 'apiVersion' in rec ? 'apiVersion' : 'version';
  return error('unknown-api-version', `unknown ${key} "${String(rec[key])}"; expected apiVersion: slo/v1 (or openslo/v1, or Sloth version: prometheus/v1)`, map.locate([key]));
}

/** A document with nothing in it (`---` alone, or only comments) is no document. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  if (doc.errors.length > 0) return false;
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && c.source === '' && c.tag === undefined && c.anchor === undefined);
}

function yamlErrors(doc: Document.Parsed, map: SourceMap, text: string): Diagnostic[] {
  // The yaml library turns a stack overflow while composing a deep document into one error per level
  // it unwinds through; the first says everything.
  const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) {
    // Where the stack ran out depends on the machine; the node at the depth limit does not.
    const at = firstNodeDeeperThan(doc.contents, MAX_NESTING_DEPTH) ?? exhausted.pos;
    return [error('yaml-too-deep', `YAML nests deeper than ${MAX_NESTING_DEPTH} levels; a spec needs about 8. Refusing to load`, rangeAt(map, at))];
  }
  const all = doc.errors.map((e) => error(yamlErrorCode(e.code), yamlMessage(e.code, e.message, text.slice(e.pos[0])), rangeAt(map, e.pos)));
  // A tab used for indentation also breaks the line's structure, and the parser says so two more
  // times on that line (compact mappings, implicit keys); the tab is the one mistake to fix.
  const tabLines = new Set(all.filter((d) => d.code === 'yaml-tab-indent').map((d) => d.source?.start.line));
  return all.filter((d) => d.code !== 'yaml-syntax' || !tabLines.has(d.source?.start.line));
}

function yamlErrorCode(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'yaml-duplicate-key';
    case 'TAB_AS_INDENT':
      return 'yaml-tab-indent';
    default:
      return 'yaml-syntax';
  }
}

function yamlMessage(code: string, message: string, source: string): string {
  if (code === 'TAB_AS_INDENT') return 'tab character used for indentation; YAML indents with spaces only';
  if (code === 'DUPLICATE_KEY') {
    const key = duplicateKeyText(source);
    return `duplicate key${key ? ` "${key}"` : ''}: a key may appear only once in a mapping`;
  }
  if (message.startsWith('Missing closing "quote')) return 'missing closing " of a double-quoted string';
  if (message.startsWith("Missing closing 'quote")) return "missing closing ' of a single-quoted string";
  // The yaml library appends " at line L, column C" and a code frame; the position is ours to print.
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The key at the start of `source`, without its quotes: the message quotes it itself, and `"team"`
 * written quoted is the same key as `team`. A quoted key may hold a colon.
 */
function duplicateKeyText(source: string): string | undefined {
  const double = /^"((?:[^"\\\n]|\\.)*)"/.exec(source);
  if (double) return double[1];
  const single = /^'((?:[^'\n]|'')*)'/.exec(source);
  if (single) return single[1]!.replace(/''/g, "'");
  return /^[^:\n]*/.exec(source)?.[0].trim();
}

/**
 * The range of the first node nested deeper than `limit`, found without recursion (the document may be
 * deep enough to overflow the stack of a recursive walk).
 */
function firstNodeDeeperThan(root: unknown, limit: number): [number, number] | undefined {
  // Two parallel stacks rather than an object per node: this walks every node of every file.
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (!isCollection(node)) continue;
    const range = (node as Node).range;
    if (depth >= limit && range) return [range[0], range[0] + 1];
    // Pushed last-first so that the walk visits nodes in document order.
    const items = node.items as unknown[];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (isPair(item)) {
        nodes.push(item.value, item.key);
        depths.push(depth + 1, depth + 1);
      } else {
        nodes.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

function rangeAt(map: SourceMap, pos: [number, number]): SourceRange {
  return { file: map.file, start: map.pos(pos[0]), end: map.pos(pos[1]) };
}

function at(file: string): SourceRange {
  return { file, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } };
}

/**
 * YAML forbids C0 control characters other than tab, line feed and carriage return; the parser would
 * accept a few of them as text, so a binary file could otherwise pass as one odd string.
 */
function firstControlCharacter(text: string): { char: number; pos: { line: number; col: number } } | undefined {
  const m = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index);
  const line = before.split('\n').length;
  return { char: m[0].charCodeAt(0), pos: { line, col: m.index - before.lastIndexOf('\n') } };
}

/** A UTF-16 byte-order mark, as editors on Windows write it. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

function firstInvalidUtf8(bytes: Uint8Array): { line: number; col: number } {
  let i = 0;
  let line = 1;
  let col = 1;
  while (i < bytes.length) {
    const size = utf8SequenceLength(bytes, i);
    if (size === 0) break;
    if (bytes[i] === 0x0a) {
      line++;
      col = 1;
    } else {
      // Columns count UTF-16 units, as the YAML positions and editors do.
      col += size === 4 ? 2 : 1;
    }
    i += size;
  }
  return { line, col };
}

/**
 * The length of the well-formed UTF-8 sequence at `i`, or 0 if there is none: the table of the Unicode
 * standard (3.9, table 3-7), which is what TextDecoder's fatal mode enforces. Checking only the lead
 * and continuation bits would let overlong forms (C0 AF), surrogates (ED A0 80) and code points past
 * U+10FFFF (F4 90.., F5..) through, and the error would land at the end of the file.
 */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  let size: number;
  // The range of the second byte: narrower than 80..BF after the leads whose other forms are overlong
  // (E0, F0), surrogates (ED) or too large (F4).
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) size = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    size = 3;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    size = 4;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f;
  } else return 0; // a continuation byte, C0, C1 (always overlong) or F5..FF (past U+10FFFF)
  if (i + size > bytes.length) return 0;
  const second = bytes[i + 1]!;
  if (second < low || second > high) return 0;
  for (let k = 2; k < size; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return size;
}
