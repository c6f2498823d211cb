/**
 * The OpenSLO objects of all loaded files, indexed by kind and name so references (`indicatorRef`,
 * `alertPolicyRef`, `conditionRef`, `targetRef`, `metricSourceRef`) resolve across files. A file holds
 * one object per YAML document, or (as in the OpenSLO Go SDK's examples) a YAML list of objects.
 */
import type { LoadedDocument } from '../../spec/load.js';
import { Cursor, mapLocator } from '../cursor.js';
import { warnUnknownKeys, type ImportReport } from '../report.js';

export const OPENSLO_API_VERSION = 'openslo/v1';

export const KINDS = ['SLO', 'SLI', 'Service', 'DataSource', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'] as const;
export type Kind = (typeof KINDS)[number];

const OBJECT_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];
const METADATA_KEYS = ['name', 'displayName', 'labels', 'annotations'];

export interface OpenSloObject {
  readonly kind: Kind;
  readonly name: string;
  /** The whole object (apiVersion, kind, metadata, spec). */
  readonly cursor: Cursor;
}

export class ObjectIndex {
  private readonly byKind = new Map<Kind, Map<string, OpenSloObject>>();
  private readonly used = new Set<OpenSloObject>();
  /** Every object in file order. */
  readonly all: readonly OpenSloObject[];

  constructor(objects: readonly OpenSloObject[], report: ImportReport) {
    const kept: OpenSloObject[] = [];
    for (const o of objects) {
      const names = this.byKind.get(o.kind) ?? new Map<string, OpenSloObject>();
      this.byKind.set(o.kind, names);
      const first = names.get(o.name);
      if (first) {
        const at = first.cursor.get('metadata', 'name').range;
        report.error('openslo-duplicate-name', `${o.kind} "${o.name}" is defined twice (first at ${at.file}:${at.start.line}); references to it would be ambiguous`, o.cursor.get('metadata', 'name').range);
        continue;
      }
      names.set(o.name, o);
      kept.push(o);
    }
    this.all = kept;
  }

  /** Resolves a reference; the object counts as used. */
  get(kind: Kind, name: string): OpenSloObject | undefined {
    const found = this.byKind.get(kind)?.get(name);
    if (found) this.used.add(found);
    return found;
  }

  /** Objects no `get` has resolved so far. */
  unused(): OpenSloObject[] {
    return this.all.filter((o) => !this.used.has(o));
  }

  ofKind(kind: Kind): OpenSloObject[] {
    return this.all.filter((o) => o.kind === kind);
  }
}

/** Reads the objects of the loaded OpenSLO documents; malformed ones are reported and left out. */
export function collectObjects(docs: readonly LoadedDocument[], report: ImportReport): OpenSloObject[] {
  const out: OpenSloObject[] = [];
  for (const doc of docs) {
    const root = new Cursor(doc.data, mapLocator(doc.map));
    const cursors = Array.isArray(doc.data) ? root.items : [root];
    for (const c of cursors) {
      const o = readObject(c, report);
      if (o) out.push(o);
    }
  }
  return out;
}

function readObject(c: Cursor, report: ImportReport): OpenSloObject | undefined {
  if (!c.record) {
    report.error('openslo-invalid-object', 'expected an OpenSLO object (a mapping with apiVersion, kind, metadata and spec)', c.range);
    return undefined;
  }
  const apiVersion = c.get('apiVersion');
  if (apiVersion.value !== OPENSLO_API_VERSION) {
    report.error('openslo-unsupported-version', `apiVersion ${JSON.stringify(apiVersion.value ?? null)} is not supported; slo imports ${OPENSLO_API_VERSION}`, apiVersion.place);
    return undefined;
  }
  const kindC = c.get('kind');
  const kind = KINDS.find((k) => k === kindC.value);
  if (!kind) {
    report.error('openslo-unknown-kind', `unknown OpenSLO kind ${JSON.stringify(kindC.value ?? null)}; expected one of ${KINDS.join(', ')}`, kindC.place);
    return undefined;
  }
  warnUnknownKeys(c, OBJECT_KEYS, kind, 'openslo-unknown-key', report);
  warnUnknownKeys(c.get('metadata'), METADATA_KEYS, `${kind} metadata`, 'openslo-unknown-key', report);
  const nameC = c.get('metadata', 'name');
  if (typeof nameC.value !== 'string' || nameC.value === '') {
    report.error('openslo-missing-field', `${kind} needs metadata.name`, nameC.place);
    return undefined;
  }
  return { kind, name: nameC.value, cursor: c };
}
