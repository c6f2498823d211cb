/**
 * Hostile and broken input at the loader: every case ends as a diagnostic with a position, never as an
 * exception, a stack trace or a hang.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { modelFromLoaded } from '../../src/pipeline/load-model.js';
import { discoverSpecFiles, loadSpecFiles, MAX_ALIAS_COUNT, MAX_FILE_BYTES, MAX_NESTING_DEPTH, parseSpecText } from '../../src/spec/load.js';
import { found } from '../validate/helpers.js';

const FILE = 'spec.yaml';
const parse = (text: string | Uint8Array) => parseSpecText(FILE, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
const diagnosticsOf = (text: string | Uint8Array) => found(parse(text).diagnostics);

/** Billion laughs: `levels` anchors, each a list of nine aliases of the previous one. */
function aliasBomb(levels: number): string {
  let text = 'apiVersion: slo/v1\nkind: Service\nl0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let i = 1; i <= levels; i++) text += `l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
  return text;
}

describe('resource exhaustion', () => {
  it('refuses a billion-laughs alias bomb quickly', { timeout: 5_000 }, () => {
    const start = Date.now();
    expect(diagnosticsOf(aliasBomb(9))).toEqual([{ code: 'yaml-alias-limit', line: 1, col: 1 }]);
    expect(Date.now() - start).toBeLessThan(2_000);
  });

  it('accepts a few aliases, as real specs use them', () => {
    const text = 'apiVersion: slo/v1\nkind: Service\nmetadata: { name: a, team: t, labels: &l { env: prod } }\nslos:\n  - name: x\n    objective: 99\n    labels: *l\n';
    expect(parse(text).value).toHaveLength(1);
    expect(MAX_ALIAS_COUNT).toBeGreaterThanOrEqual(50);
  });

  it.each([
    ['flow sequences', `slos: ${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['flow mappings', `slos: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}`],
    ['block sequences', `slos:${Array.from({ length: 900 }, (_, i) => `\n${' '.repeat(i + 1)}-`).join('')} 1`],
    ['just over the limit', `slos: ${'['.repeat(MAX_NESTING_DEPTH + 1)}${']'.repeat(MAX_NESTING_DEPTH + 1)}`],
  ])('refuses deeply nested %s without overflowing the stack', { timeout: 10_000 }, (_, body) => {
    const ds = parse(`apiVersion: slo/v1\nkind: Service\n${body}\n`).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(['yaml-too-deep']);
    expect(ds[0]?.source?.start.line).toBeGreaterThanOrEqual(3);
  });

  it('accepts nesting up to the limit (the schema then judges it)', () => {
    const depth = MAX_NESTING_DEPTH - 1;
    expect(diagnosticsOf(`apiVersion: slo/v1\nkind: Service\nslos: ${'['.repeat(depth)}${']'.repeat(depth)}\n`)).toEqual([]);
  });

  describe('file size', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-load-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses a file over the limit before reading it', async () => {
      const file = path.join(dir, 'huge.yaml');
      writeFileSync(file, Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
      const { value, diagnostics } = await loadSpecFiles([file]);
      expect(value).toEqual([]);
      expect(found(diagnostics)).toEqual([{ code: 'file-too-large', line: 1, col: 1 }]);
    });

    it('reads a file at the limit', async () => {
      const file = path.join(dir, 'big.yaml');
      const head = 'apiVersion: slo/v1\nkind: Service\n';
      writeFileSync(file, head + '#'.repeat(MAX_FILE_BYTES - head.length - 1) + '\n');
      const { value, diagnostics } = await loadSpecFiles([file]);
      expect(diagnostics).toEqual([]);
      expect(value).toHaveLength(1);
    });
  });
});

describe('broken YAML', () => {
  it.each([
    ['a duplicate key, at the second', 'apiVersion: slo/v1\nkind: Service\nkind: Service\n', [{ code: 'yaml-duplicate-key', line: 3, col: 1 }]],
    ['tab indentation', 'apiVersion: slo/v1\nmetadata:\n\tname: x\n', [{ code: 'yaml-tab-indent', line: 3, col: 1 }]],
    // Followed by an indented line: the parser's compact-mapping and implicit-key errors on the tab's line are the same mistake.
    ['tab indentation before an indented line', 'apiVersion: slo/v1\nkind: Service\nmetadata:\n\tname: x\n  team: t\nslos: []\n', [{ code: 'yaml-tab-indent', line: 4, col: 1 }]],
    ['an unclosed flow mapping', 'apiVersion: slo/v1\nmetadata: { name: x\nkind: Service\n', [{ code: 'yaml-syntax', line: 3, col: 1 }]],
  ])('%s', (_, text, expected) => {
    expect(diagnosticsOf(text)).toEqual(expected);
  });

  it('names the duplicate key and says nothing about the yaml library', () => {
    const [d] = parse('apiVersion: slo/v1\nkind: Service\nkind: Service\n').diagnostics;
    expect(d?.summary).toContain('"kind"');
    expect(d?.summary).not.toMatch(/at line \d/);
  });
});

describe('encoding', () => {
  it('points at the first invalid byte, counting characters, not bytes', () => {
    // "né: " has a two-byte é; the bad byte is the 6th character of line 2.
    const bytes = Buffer.concat([Buffer.from('apiVersion: slo/v1\nné: '), Buffer.from([0xff]), Buffer.from('\n')]);
    expect(diagnosticsOf(bytes)).toEqual([{ code: 'invalid-encoding', line: 2, col: 5 }]);
  });

  it('recognises UTF-16', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: slo/v1\n', 'utf16le')]);
    const [d] = parse(bytes).diagnostics;
    expect(d?.code).toBe('invalid-encoding');
    expect(d?.summary).toContain('UTF-16');
  });

  it('refuses control characters (binary files), at their position', () => {
    expect(diagnosticsOf('apiVersion: slo/v1\nkind: Serv\u0000ice\n')).toEqual([{ code: 'invalid-encoding', line: 2, col: 11 }]);
  });

  it('accepts a UTF-8 byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('apiVersion: slo/v1\nkind: Service\n')]);
    expect(diagnosticsOf(bytes)).toEqual([]);
  });
});

describe('documents that are not specs', () => {
  it.each([
    ['an empty file', '', [{ code: 'empty-file', line: 1, col: 1 }]],
    ['only comments', '# nothing yet\n', [{ code: 'empty-file', line: 1, col: 1 }]],
    ['only document markers', '---\n---\n', [{ code: 'empty-file', line: 1, col: 1 }]],
    ['a top-level list', '- apiVersion: slo/v1\n', [{ code: 'not-a-spec', line: 1, col: 1 }]],
    ['a top-level scalar', 'checkout\n', [{ code: 'not-a-spec', line: 1, col: 1 }]],
    ['an unknown apiVersion, at its value', 'kind: Service\napiVersion: slo/v2\n', [{ code: 'unknown-api-version', line: 2, col: 13 }]],
    ['no apiVersion', 'kind: Service\n', [{ code: 'missing-api-version', line: 1, col: 1 }]],
    [
      'two slo/v1 documents, at the second',
      'apiVersion: slo/v1\nkind: Service\n---\napiVersion: slo/v1\nkind: Service\n',
      [{ code: 'multiple-documents', line: 4, col: 1 }],
    ],
  ])('%s', (_, text, expected) => {
    expect(diagnosticsOf(text)).toEqual(expected);
  });
});

describe('arbitrary input', () => {
  it('never throws on random bytes and always gives positions', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const loaded = parseSpecText(FILE, bytes);
        const all = modelFromLoaded(loaded.value, loaded.diagnostics).diagnostics;
        for (const d of all) {
          if (d.source) expect(d.source.start.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on random YAML-looking text', () => {
    const token = fc.constantFrom('apiVersion: slo/v1\n', 'kind: Service\n', 'slos:\n', '  - ', 'name: x\n', '{', '}', '[', ']', '"', "'", ':', '&a ', '*a', '\t', ' ', '\n', '---\n', '|\n', 'objective: 99\n', 'sli:\n', '#');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const loaded = parseSpecText(FILE, Buffer.from(tokens.join('')));
        modelFromLoaded(loaded.value, loaded.diagnostics);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any JSON-like value, whatever the schema says about it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const doc = { apiVersion: 'slo/v1', kind: 'Service', metadata: { name: 'x', team: 't' }, slos: [{ name: 'a', objective: 99, sli: value }] };
        const loaded = parseSpecText(FILE, Buffer.from(stringify(doc)));
        modelFromLoaded(loaded.value, loaded.diagnostics);
      }),
      { numRuns: 300 },
    );
  });
});

describe('OpenSLO files written as a YAML list (the Go SDK layout)', () => {
  it('are read as OpenSLO documents, not refused as not-a-spec', async () => {
    const { parseSpecText } = await import('../../src/spec/load.js');
    const text = '- apiVersion: openslo/v1\n  kind: Service\n  metadata: { name: a }\n  spec: {}\n';
    const r = parseSpecText('x.yaml', new TextEncoder().encode(text));
    expect(r.diagnostics).toEqual([]);
    expect(r.value.map((d) => d.format)).toEqual(['openslo/v1']);
    const mixed = parseSpecText('y.yaml', new TextEncoder().encode('- apiVersion: openslo/v1\n- 3\n'));
    expect(mixed.diagnostics.map((d) => d.code)).toEqual(['not-a-spec']);
  });
});

describe('spec discovery and symbolic links', () => {
  const spec = (name: string) => `apiVersion: slo/v1\nkind: Service\nmetadata: { name: ${name}, team: t }\nslos: []\n`;
  const base = mkdtempSync(path.join(tmpdir(), 'slo-links-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** A `slos/` folder with one plain spec, and `shared/` outside it holding specs to link in. */
  function layout(name: string): { slos: string; shared: string } {
    const root = path.join(base, name);
    const slos = path.join(root, 'slos');
    const shared = path.join(root, 'shared');
    mkdirSync(slos, { recursive: true });
    mkdirSync(path.join(shared, 'more'), { recursive: true });
    writeFileSync(path.join(slos, 'a.yaml'), spec('a'));
    writeFileSync(path.join(shared, 'b.yaml'), spec('b'));
    writeFileSync(path.join(shared, 'more', 'c.yaml'), spec('c'));
    return { slos, shared };
  }
  const names = (files: readonly string[]) => files.map((f) => path.basename(f));

  it('follows a link to a spec file and a link to a folder of specs', async () => {
    const { slos, shared } = layout('follow');
    symlinkSync(path.join(shared, 'b.yaml'), path.join(slos, 'b.yaml'));
    symlinkSync(path.join(shared, 'more'), path.join(slos, 'more'));
    const result = await discoverSpecFiles([slos]);
    expect(result.diagnostics).toEqual([]);
    expect(names(result.value)).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  it('reports a link that points nowhere instead of skipping the service', async () => {
    const { slos } = layout('dangling');
    symlinkSync(path.join(slos, 'gone.yaml.orig'), path.join(slos, 'gone.yaml'));
    const result = await discoverSpecFiles([slos]);
    expect(names(result.value)).toEqual(['a.yaml']);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.source?.file])).toEqual([['broken-link', 'error', path.join(slos, 'gone.yaml')]]);
  });

  it('walks a folder once when a link leads back up to it', async () => {
    const { slos } = layout('loop');
    symlinkSync(slos, path.join(slos, 'again'));
    const result = await discoverSpecFiles([slos]);
    expect(result.diagnostics).toEqual([]);
    expect(names(result.value)).toEqual(['a.yaml']);
  });

  it('reads a spec reached by its own path and by a link once, under the first path', async () => {
    const { slos, shared } = layout('twice');
    symlinkSync(path.join(shared, 'b.yaml'), path.join(slos, 'b.yaml'));
    const root = path.dirname(slos);
    const result = await discoverSpecFiles([root]);
    expect(result.diagnostics).toEqual([]);
    expect(result.value.map((f) => path.relative(root, f))).toEqual(['shared/b.yaml', 'shared/more/c.yaml', 'slos/a.yaml']);
    // Given twice on the command line, or as a file inside a folder also given: once.
    expect((await discoverSpecFiles([slos, path.join(slos, 'a.yaml'), path.join(slos, 'b.yaml')])).value.map((f) => path.basename(f))).toEqual(['a.yaml', 'b.yaml']);
  });

  it('reports a folder it may not read, and reads the rest', () => {
    const { slos } = layout('locked');
    const locked = path.join(slos, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o000);
    chmodSync(base, 0o755);
    // Permissions do not bind root: then the discovery runs as nobody.
    const script = `const m = await import(${JSON.stringify(path.resolve('src/spec/load.ts'))}); console.log(JSON.stringify(await m.discoverSpecFiles([${JSON.stringify(slos)}])));`;
    const command = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--', process.execPath] : [process.execPath];
    let out: string;
    try {
      out = execFileSync(command[0]!, [...command.slice(1), '--import', 'tsx', '-e', script], { encoding: 'utf8' });
    } finally {
      chmodSync(locked, 0o755); // so that the folder can be removed afterwards
    }
    const result = JSON.parse(out) as { value: string[]; diagnostics: Array<{ code: string; summary: string }> };
    expect(result.value.map((f) => path.basename(f))).toEqual(['a.yaml']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['file-unreadable']);
    expect(result.diagnostics[0]!.summary).toContain(`cannot read the folder ${locked}`);
  });

  it('reports a spec name that is not a regular file (a named pipe)', async () => {
    const { slos } = layout('fifo');
    const fifo = path.join(slos, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const result = await discoverSpecFiles([slos]);
    expect(names(result.value)).toEqual(['a.yaml']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['not-a-file']);
  });
});
