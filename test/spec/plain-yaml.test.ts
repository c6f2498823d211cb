// The fast reader must give exactly what the `yaml` library gives, or step aside (`undefined`).
// Compared on every YAML file of the repository and the shared references, and on generated text that
// mixes the subset with everything around it (mutated by random edits).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments } from 'yaml';
import { generate } from '../../bench/generate.mjs';
import { parseSpecText } from '../../src/spec/load.js';
import { parsePlainYaml, placePlainYaml } from '../../src/spec/plain-yaml.js';
import { SourceMap, type PathSegment } from '../../src/spec/source-map.js';

const root = path.resolve(import.meta.dirname, '../..');

/** What the spec loader gets from `yaml`: the one document's value, or undefined when `yaml` objects. */
function viaYamlLibrary(text: string): { ok: true; value: unknown } | { ok: false } {
  const parsed = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, strict: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  if (docs.some((d) => d.errors.length > 0)) return { ok: false };
  const values = docs.map((d) => d.toJS({ maxAliasCount: 100 }));
  if (values.length !== 1) return { ok: false };
  return { ok: true, value: values[0] };
}

/** Deep equality that also tells -0 from 0, compares key order and object kinds. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Checks the contract on one text; returns whether the fast reader took it. */
function holdsContract(text: string): boolean {
  const fast = parsePlainYaml(text);
  if (fast === undefined) return false;
  const reference = viaYamlLibrary(text);
  if (!reference.ok) throw new Error(`fast reader accepted text that yaml refuses:\n${text}`);
  if (!same(fast, reference.value)) throw new Error(`fast reader differs from yaml:\n${text}\nfast: ${JSON.stringify(fast)}\nyaml: ${JSON.stringify(reference.value)}`);
  return true;
}

function yamlFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.includes('node_modules'))
    .sort();
}

describe('parsePlainYaml', () => {
  it('agrees with yaml on every YAML file of the repository and of the shared references', () => {
    const files = [...yamlFiles(path.join(root, 'slos')), ...yamlFiles(path.join(root, 'test')), ...yamlFiles(path.join(root, 'dashboards')), ...yamlFiles(path.join(root, '..', 'shared', 'reference'))];
    expect(files.length).toBeGreaterThan(100);
    let taken = 0;
    for (const f of files) if (holdsContract(readFileSync(f, 'utf8').replace(/^\uFEFF/, ''))) taken++;
    expect(taken).toBeGreaterThan(files.length / 3);
  });

  it('reads every example spec and every generated benchmark spec itself', () => {
    for (const f of yamlFiles(path.join(root, 'slos'))) expect(holdsContract(readFileSync(f, 'utf8')), f).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-plain-yaml-'));
    generate(200, dir);
    for (const f of yamlFiles(dir)) expect(holdsContract(readFileSync(f, 'utf8')), f).toBe(true);
  });

  it.each([
    ['a: 1', { a: 1 }],
    ['a: -0', { a: -0 }],
    ['a: 0o17\nb: 0x1F\nc: 010\nd: +5', { a: 15, b: 31, c: 10, d: 5 }],
    ['a: 1.\nb: .5\nc: 1e3\nd: -.Inf\ne: .nan', { a: 1, b: 0.5, c: 1000, d: -Infinity, e: NaN }],
    ['a: ~\nb: null\nc:\nd: True\ne: yes\nf: on', { a: null, b: null, c: null, d: true, e: 'yes', f: 'on' }],
    ['a: "x\\"y\\\\z"\nb: \'it\'\'s\'', { a: 'x"y\\z', b: "it's" }],
    ['a: x #c\nb: x#c\nc: "#"  # c', { a: 'x', b: 'x#c', c: '#' }],
    ['labels: { env: prod, tier: 1 }\nroutes: [ "a:b", \'c\', d e ]', { labels: { env: 'prod', tier: 1 }, routes: ['a:b', 'c', 'd e'] }],
    ['a:\n- 1\n- b: 2\n  c: 3\nd: [] # none', { a: [1, { b: 2, c: 3 }], d: [] }],
    ['---\n# c\nslos:\n  - name: x\n    sli: {}\n  -\n    name: y', { slos: [{ name: 'x', sli: {} }, { name: 'y' }] }],
    ['- - a\n  - b\n- c', [['a', 'b'], 'c']],
    ['a: |\n  x\n  # y\n\n   z\nb: >-\n  one\n  two\n\n  three\n\nc: 1\n', { a: 'x\n# y\n\n z\n', b: 'one two\nthree', c: 1 }],
    ['q: sum(rate(x{job="a",code=~"5.."}[{{window}}]))', { q: 'sum(rate(x{job="a",code=~"5.."}[{{window}}]))' }],
  ])('reads %j', (text, expected) => {
    expect(holdsContract(text)).toBe(true);
    expect(same(parsePlainYaml(text), expected)).toBe(true);
  });

  it.each([
    'a: &x 1\nb: *x',
    'a: !!str 1',
    'a: |\n  text',
    'a: b\n  c',
    'a: "b\n  c"',
    'a: 1\na: 2',
    'a:\tb',
    'a: 1\r\n',
    'a: 1\n---\nb: 2',
    '%YAML 1.2\n---\na: 1',
    'a: b: c',
    '? a\n: b',
    '"a": 1',
    'true: 1',
    '1: x',
    '__proto__: x',
    'a: [b,]',
    'a: "\\x41"',
    '',
    '# only a comment',
    'scalar',
  ])('leaves %j to yaml', (text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
  });

  it('reads a string of a million escapes in linear time (a quadratic search took minutes)', () => {
    const text = `k: "${'\\n'.repeat(1_000_000)}\\""\n`;
    expect(parsePlainYaml(text)).toEqual({ k: `${'\n'.repeat(1_000_000)}"` });
  });

  it('holds the contract on generated and mutated text', () => {
    // PLAIN_YAML_FUZZ_CASES and PLAIN_YAML_FUZZ_SEED run a longer search by hand.
    const random = mulberry32(Number(process.env['PLAIN_YAML_FUZZ_SEED'] ?? 20261123));
    let taken = 0;
    const cases = Number(process.env['PLAIN_YAML_FUZZ_CASES'] ?? 40_000);
    for (let n = 0; n < cases; n++) {
      let text = document(random);
      const edits = Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) text = mutate(text, random);
      if (holdsContract(text)) taken++;
    }
    // Enough of the generated text is in the subset for the comparison to mean something.
    expect(taken).toBeGreaterThan(cases / 12);
  });
});

describe('placePlainYaml', () => {
  /** Every path in a value, with whether it holds a string. */
  function paths(value: unknown, prefix: PathSegment[] = []): Array<{ path: PathSegment[]; isString: boolean }> {
    const here = { path: prefix, isString: typeof value === 'string' };
    if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
    if (typeof value === 'object' && value !== null) return [here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
    return [here];
  }

  /** The loader's source map for `text` (fast reader, positions found on demand) against one from `yaml`. */
  function positionsAgree(text: string): boolean {
    const value = parsePlainYaml(text);
    if (value === undefined) return false;
    const lines = new LineCounter();
    const doc = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, strict: true }) as ReturnType<typeof parseAllDocuments> & unknown[];
    const eager = new SourceMap('f.yaml', { doc: doc[0]!, lines }, text);
    const bytes = new TextEncoder().encode(text);
    const deferred = () => {
      // A fresh map per question: after a question it cannot answer itself, a map parses with `yaml`.
      const loaded = parseSpecText('f.yaml', bytes).value[0];
      return loaded?.map ?? new SourceMap('f.yaml', { parse: () => ({ doc: doc[0]!, lines }), place: () => placePlainYaml(text) }, text);
    };
    for (const { path, isString } of [...paths(value), { path: ['missing'], isString: false }]) {
      const questions: Array<[string, (m: SourceMap) => unknown]> = [
        ['locate', (m) => m.locate(path)],
        ['locateKey', (m) => m.locateKey(path)],
        ...(isString ? ([0, 3, 7, 1000].map((o) => [`locateInScalar ${o}`, (m: SourceMap) => m.locateInScalar(path, o, 2)]) as Array<[string, (m: SourceMap) => unknown]>) : []),
      ];
      for (const [name, ask] of questions) {
        const got = JSON.parse(JSON.stringify(ask(deferred())));
        const want = JSON.parse(JSON.stringify(ask(eager)));
        if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${name} ${JSON.stringify(path)} differs:\n${text}\nfast: ${JSON.stringify(got)}\nyaml: ${JSON.stringify(want)}`);
      }
    }
    return true;
  }

  it('places scalars and keys where yaml does, in the example specs and generated text', () => {
    for (const f of yamlFiles(path.join(root, 'slos'))) expect(positionsAgree(readFileSync(f, 'utf8')), f).toBe(true);
    const random = mulberry32(Number(process.env['PLAIN_YAML_FUZZ_SEED'] ?? 7));
    let taken = 0;
    const cases = Number(process.env['PLAIN_YAML_FUZZ_CASES'] ?? 40_000) / 10;
    for (let n = 0; n < cases; n++) if (positionsAgree(mutate(document(random), random))) taken++;
    expect(taken).toBeGreaterThan(cases / 20);
  });

  it('finds scalars and keys but leaves collections, implicit nulls, block scalars and flow contents to yaml', () => {
    const placed = placePlainYaml('a:\n  b: "x" # c\n  c:\n  d: |\n    t\n  e: { f: 1 }\n  g: [1]\n- bad')?.scalar(['a', 'b']);
    expect(placed).toBeUndefined(); // the last line is not YAML the reader takes
    const positions = placePlainYaml('a:\n  b: "x" # c\n  c:\n  d: |\n    t\n  e: { f: 1 }\n  g: [1]\n')!;
    expect(positions.scalar(['a', 'b'])).toEqual({ start: 8, end: 11, style: 'QUOTE_DOUBLE', value: 'x' });
    expect(positions.key(['a', 'c'])).toEqual({ start: 18, end: 19 });
    for (const p of [['a'], ['a', 'c'], ['a', 'd'], ['a', 'e'], ['a', 'e', 'f'], ['a', 'g', 0]]) expect(positions.scalar(p), JSON.stringify(p)).toBeUndefined();
  });
});

// --- generated text ---

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T,>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const KEYS = ['a', 'b', 'name', 'b_c', 'x.y/z', 'k-1', 'A', 'true', 'null', 'on', 'y', '1', '__proto__', '-k', 'k k', '"q"', "'q'", 'é', '_', 'a:b', 'a#'];
const SCALARS = [
  'x', 'hello world', '300ms', '30d', '0', '-0', '+1', '010', '0o17', '0o8', '0x1F', '0xg', '1.', '.5', '1e3', '1E-2', '1.5e+3', '.e3', '1_000',
  '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '~', 'null', 'Null', 'NULL', 'nUll', 'True', 'FALSE', 'tRue', 'yes', 'no', '99.9', '99.90', '-', '--', '---', '-1', '- a',
  '?a', ':a', '%x', '@x', '`x', '!x', '&a', '*a', '|', '>', 'a: b', 'a:b', 'a:', 'a #b', 'a#b', '#x', 'a, b', 'x]', 'x}', 'é', '日本', 'a  b',
  "'s'", "'it''s'", "'a", "''", '""', '"d"', '"a\\"b"', '"a\\\\"', '"\\n\\t\\/"', '"\\x41"', '"\\u00e9"', '"a', '"a"b', '"a" #c', '"a"#c',
  '[a, b]', '[]', '{}', '{ a: 1 }', '{a:1}', '{ a: }', '{ a }', '[a, b,]', '{ a: [1, 2], b: { c: d } }', '[ "x", \'y\' ]', '[a:b]', '[ a #c ]', '[ [ [] ] ]',
  '{ a: 1, a: 2 }', '{ true: 1 }', '[a] x', '{a: 1}  # c',
  'sum(rate(http_requests_total{job="x",code=~"5.."}[{{window}}]))', '{{window}}', 'sum:trace.hits{service:x}.as_count()', 'https://x.example.com/a?b=c#d',
  'service.name:"x" and event.outcome:"failure"',
];

const BLOCK_HEADERS = ['|', '|-', '>', '>-', '|+', '>+', '|2', '> # c', '>-x', '|  '];
const BLOCK_TEXT = ['text', 'more text', '# not a comment', '', '', '  indented', 'a: b', '- x', '  ', 'trailing  ', '"q"', '{{slo}} of {{service}}'];

function blockLines(random: () => number, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent + pick(random, [2, 2, 2, 1, 3, 0]));
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const text = pick(random, BLOCK_TEXT);
    lines.push(text === '' ? (random() < 0.5 ? '' : ' ') : pad + text);
  }
}

function scalar(random: () => number): string {
  const s = pick(random, SCALARS);
  const r = random();
  return r < 0.1 ? `${s} # note` : r < 0.15 ? `${s}   ` : s;
}

function document(random: () => number): string {
  const lines: string[] = [];
  const r = random();
  if (r < 0.1) lines.push('---');
  else if (r < 0.13) lines.push('%YAML 1.2', '---');
  else if (r < 0.2) lines.push('# yaml-language-server: $schema=x');
  if (random() < 0.15) sequence(random, 0, 0, lines);
  else mapping(random, 0, 0, lines);
  if (random() < 0.05) lines.push('---', 'b: 1');
  if (random() < 0.05) lines.push('...');
  return lines.join('\n') + (random() < 0.5 ? '\n' : '');
}

function mapping(random: () => number, indent: number, depth: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const key = random() < 0.85 ? pick(random, KEYS.slice(0, 6)) : pick(random, KEYS);
    const r = random();
    if (depth < 4 && r < 0.25) {
      lines.push(`${pad}${key}:${random() < 0.1 ? ' # nested' : ''}`);
      if (random() < 0.1) lines.push('');
      if (random() < 0.1) lines.push(`${' '.repeat(Math.floor(random() * 6))}# comment`);
      mapping(random, indent + pick(random, [2, 2, 2, 1, 4]), depth + 1, lines);
    } else if (depth < 4 && r < 0.4) {
      lines.push(`${pad}${key}:`);
      sequence(random, random() < 0.3 ? indent : indent + 2, depth + 1, lines);
    } else if (r < 0.45) {
      lines.push(`${pad}${key}:`);
    } else if (r < 0.55) {
      lines.push(`${pad}${key}: ${pick(random, BLOCK_HEADERS)}`);
      blockLines(random, indent, lines);
    } else {
      lines.push(`${pad}${key}: ${scalar(random)}`);
    }
  }
}

function sequence(random: () => number, indent: number, depth: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (depth < 4 && r < 0.35) {
      // `- key: value` then the mapping's other keys at the column of the first.
      const sub: string[] = [];
      mapping(random, indent + 2, depth + 1, sub);
      lines.push(`${pad}- ${sub[0]!.slice(indent + 2)}`, ...sub.slice(1));
    } else if (depth < 4 && r < 0.45) {
      lines.push(`${pad}-`);
      mapping(random, indent + 2, depth + 1, lines);
    } else if (depth < 4 && r < 0.5) {
      const sub: string[] = [];
      sequence(random, indent + 2, depth + 1, sub);
      lines.push(`${pad}- ${sub[0]!.slice(indent + 2)}`, ...sub.slice(1));
    } else if (r < 0.55) {
      lines.push(`${pad}-`);
    } else if (r < 0.6) {
      lines.push(`${pad}- ${pick(random, BLOCK_HEADERS)}`);
      blockLines(random, indent, lines);
    } else {
      lines.push(`${pad}- ${scalar(random)}`);
    }
  }
}

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(random() * lines.length);
  const line = lines[i]!;
  const r = random();
  if (r < 0.25) lines[i] = random() < 0.5 ? ` ${line}` : line.replace(/^ /, '');
  else if (r < 0.4) lines.splice(i, 0, line);
  else if (r < 0.5) lines.splice(i, 1);
  else if (r < 0.6) lines.splice(i, 0, `${' '.repeat(Math.floor(random() * 6))}${pick(random, ['continued', '# c', '- x', 'k: v', '"q"', ''])}`);
  else {
    const at = Math.floor(random() * (line.length + 1));
    const ch = pick(random, [' ', ':', '#', '-', '"', "'", '[', ']', '{', '}', ',', '\t', '\\', '&', '*', '!', '|', '?', 'x', '1', '.']);
    lines[i] = random() < 0.7 ? line.slice(0, at) + ch + line.slice(at) : line.slice(0, at) + line.slice(at + 1);
  }
  return lines.join('\n');
}
