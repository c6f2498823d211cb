/**
 * Renders a (converted) spec as an slo/v1 YAML file for `slo import`: keys in the order the examples in
 * slos/ use, short mappings and lists in flow style, and the converter's notes as comments above the
 * fields they are about. Pure: the same document always gives the same text.
 */
import { Document, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { SpecDocument } from '../spec/document.js';
import type { SpecFormat } from '../spec/load.js';
import type { PathSegment } from '../spec/source-map.js';
import type { SpecSeverity, SpecSli, SpecSlo, SpecV1, SpecWindow } from '../spec/types.js';
import { isImportedDocument } from './imported-document.js';

export const SCHEMA_COMMENT = 'yaml-language-server: $schema=../schemas/service.schema.json';

const FORMAT_NAMES: Readonly<Record<SpecFormat, string>> = {
  'slo/v1': 'slo/v1',
  'openslo/v1': 'OpenSLO v1',
  'sloth/prometheus-v1': 'Sloth prometheus/v1',
};

export function toSloV1Yaml(doc: SpecDocument): string {
  const yaml = new Document(orderedSpec(doc.spec));
  applyFlowStyle(yaml);
  const header = [SCHEMA_COMMENT];
  if (isImportedDocument(doc)) {
    header.push(
      `Converted by \`slo import\` from ${FORMAT_NAMES[doc.format]}: ${doc.sources.join(', ')}.`,
      'The comments below say where the conversion chose or changed something; review them.',
    );
    for (const [key, texts] of doc.notes) attachNote(yaml, key.split('\u0000').map(toSegment), texts);
  }
  yaml.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return yaml.toString({ lineWidth: 0, flowCollectionPadding: true }).replace(/^((?:#.*\n)+)\n/, '$1');
}

// ---- key order ---------------------------------------------------------------------------------

/** Copies `obj` with the keys of `order` first, in that order, then any others in their own order. */
function ordered<T extends object>(obj: T, order: readonly string[], children: Readonly<Record<string, (v: never) => unknown>> = {}): Record<string, unknown> {
  const rec = obj as Record<string, unknown>;
  const keys = [...order.filter((k) => k in rec), ...Object.keys(rec).filter((k) => !order.includes(k))];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = rec[k];
    if (v === undefined) continue;
    const child = children[k] as ((v: unknown) => unknown) | undefined;
    out[k] = child ? child(v) : v;
  }
  return out;
}

function orderedSpec(spec: SpecV1): Record<string, unknown> {
  return ordered(spec, ['apiVersion', 'kind', 'metadata', 'notifications', 'messages', 'slos'], {
    metadata: (m: SpecV1['metadata']) => ordered(m, ['name', 'team', 'tier', 'description', 'labels', 'runbook', 'dashboard']),
    messages: (m: NonNullable<SpecV1['messages']>) => ordered(m, ['summary', 'description']),
    slos: (slos: SpecSlo[]) => slos.map(orderedSlo),
  });
}

function orderedSlo(slo: SpecSlo): Record<string, unknown> {
  return ordered(slo, ['name', 'description', 'objective', 'window', 'labels', 'sli', 'alerting'], {
    sli: orderedSli,
    alerting: (a: SpecSlo['alerting']) =>
      a === false || a === undefined ? a : ordered(a, ['page', 'ticket', 'minEvents'], { page: orderedSeverity, ticket: orderedSeverity }),
  });
}

function orderedSli(sli: SpecSli): Record<string, unknown> {
  const ratio = (q: object) => ordered(q, ['errors', 'good', 'total']);
  return ordered(sli, ['template', 'vars', 'events', 'latency'], {
    events: (e: NonNullable<SpecSli['events']>) =>
      ordered(e, ['prometheus', 'datadog', 'elasticsearch'], {
        prometheus: ratio,
        datadog: ratio,
        elasticsearch: (q: object) => ordered(q, ['index', 'total', 'errors', 'good', 'timestampField']),
      }),
    latency: (l: NonNullable<SpecSli['latency']>) =>
      ordered(l, ['threshold', 'prometheus', 'datadog', 'elasticsearch'], {
        prometheus: (p: object) => ordered(p, ['histogram', 'by']),
        elasticsearch: (p: object) => ordered(p, ['index', 'filter', 'field', 'unit', 'timestampField']),
      }),
  });
}

function orderedSeverity(sev: SpecSeverity | false | undefined): unknown {
  if (sev === false || sev === undefined) return sev;
  return ordered(sev, ['notify', 'severity', 'windows', 'for', 'labels', 'annotations'], {
    windows: (ws: SpecWindow[]) => ws.map((w) => ordered(w, ['long', 'short', 'factor', 'budgetConsumed'])),
  });
}

// ---- layout ------------------------------------------------------------------------------------

/** Paths (with `*` for any key or index) of collections written in flow style, as in slos/*.yaml. */
const FLOW_PATHS: ReadonlyArray<readonly string[]> = [
  ['metadata', 'labels'],
  ['notifications', '*'],
  ['slos', '*', 'labels'],
  ['slos', '*', 'sli', 'vars'],
  ['slos', '*', 'sli', 'latency', 'prometheus', 'by'],
  ['slos', '*', 'alerting', '*', 'notify'],
  ['slos', '*', 'alerting', '*', 'labels'],
  ['slos', '*', 'alerting', '*', 'windows', '*'],
];

function isFlowPath(path: readonly PathSegment[]): boolean {
  return FLOW_PATHS.some((p) => p.length === path.length && p.every((seg, i) => seg === '*' || seg === String(path[i])));
}

function applyFlowStyle(yaml: Document): void {
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      if (isFlowPath(path)) node.flow = true;
      for (const pair of node.items) visit(pair.value, [...path, keyOf(pair)]);
    } else if (isSeq(node)) {
      if (isFlowPath(path)) node.flow = true;
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(yaml.contents, []);
}

// ---- notes as comments -------------------------------------------------------------------------

/**
 * Puts a note above the entry at `path`. Notes inside a flow collection (a renamed label) go above
 * the collection, prefixed with the entry's key, since flow collections cannot hold comments.
 */
function attachNote(yaml: Document, path: readonly PathSegment[], texts: readonly string[]): void {
  let target = [...path];
  let lines = [...texts];
  // Walk up to an entry that exists and is not inside a flow collection.
  for (;;) {
    const parentPath = target.slice(0, -1);
    const parent = target.length > 0 ? nodeAt(yaml, parentPath) : undefined;
    const exists = target.length === 0 || (parent !== undefined && childOf(parent, target[target.length - 1]!) !== undefined);
    const inFlow = parent !== undefined && (isMap(parent) || isSeq(parent)) && parent.flow === true;
    if (exists && !inFlow) break;
    if (exists && inFlow) lines = lines.map((t) => `${String(target[target.length - 1])}: ${t}`);
    target = parentPath;
  }
  const comment = lines.map((t) => ` ${t}`).join('\n');
  if (target.length === 0) return; // document-level notes are part of the header
  const parent = nodeAt(yaml, target.slice(0, -1))!;
  const last = target[target.length - 1]!;
  let holder: Node | undefined = isMap(parent) ? (findPair(parent.items, last)?.key as Node | undefined) : isSeq(parent) ? (parent.items[Number(last)] as Node | undefined) : undefined;
  if (!holder) return;
  // A comment on the first key of a list item would print after the dash; put it above the item.
  const grandparent = target.length >= 2 ? nodeAt(yaml, target.slice(0, -2)) : undefined;
  if (isMap(parent) && isSeq(grandparent) && findPair(parent.items, last) === parent.items[0]) holder = parent;
  holder.commentBefore = holder.commentBefore ? `${holder.commentBefore}\n${comment}` : comment;
}

function nodeAt(yaml: Document, path: readonly PathSegment[]): unknown {
  let node: unknown = yaml.contents;
  for (const seg of path) {
    node = childOf(node, seg);
    if (node === undefined) return undefined;
  }
  return node;
}

function childOf(node: unknown, seg: PathSegment): unknown {
  if (isMap(node)) return findPair(node.items, seg)?.value ?? undefined;
  if (isSeq(node)) return node.items[Number(seg)];
  return undefined;
}

function findPair(items: readonly unknown[], key: PathSegment): Pair | undefined {
  return items.find((p): p is Pair => isPair(p) && keyOf(p) === String(key));
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function toSegment(s: string): PathSegment {
  return /^\d+$/.test(s) ? Number(s) : s;
}
