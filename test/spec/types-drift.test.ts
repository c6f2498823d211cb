/**
 * src/spec/types.ts mirrors schemas/service.schema.json by hand. This walks both side by side and
 * fails when a property exists in one and not the other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'service.schema.json'), 'utf8')) as SchemaNode;
const source = ts.createSourceFile('types.ts', readFileSync(path.join(repoRoot, 'src', 'spec', 'types.ts'), 'utf8'), ts.ScriptTarget.Latest, true);

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const interfaces = new Map<string, ts.InterfaceDeclaration>();
source.forEachChild((n) => {
  if (ts.isInterfaceDeclaration(n)) interfaces.set(n.name.text, n);
});

/** Property name → type, of an interface. */
function membersOfInterface(name: string): Map<string, ts.TypeNode> {
  const decl = interfaces.get(name);
  if (!decl) throw new Error(`types.ts has no interface ${name}`);
  const out = new Map<string, ts.TypeNode>();
  for (const m of decl.members) if (ts.isPropertySignature(m) && m.type) out.set(m.name.getText(source), m.type);
  return out;
}

/** The members of a TS type: interfaces, literals, intersections; `X | false` and `X[]` are looked through. */
function membersOf(type: ts.TypeNode): Map<string, ts.TypeNode> {
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText(source);
    return interfaces.has(name) ? membersOfInterface(name) : new Map();
  }
  if (ts.isTypeLiteralNode(type)) {
    const out = new Map<string, ts.TypeNode>();
    for (const m of type.members) if (ts.isPropertySignature(m) && m.type) out.set(m.name.getText(source), m.type);
    return out;
  }
  if (ts.isIntersectionTypeNode(type) || ts.isUnionTypeNode(type)) {
    const out = new Map<string, ts.TypeNode>();
    for (const t of type.types) for (const [k, v] of membersOf(t)) out.set(k, v);
    return out;
  }
  if (ts.isArrayTypeNode(type)) return membersOf(type.elementType);
  if (ts.isParenthesizedTypeNode(type)) return membersOf(type.type);
  return new Map();
}

/** Every mismatch between a schema object and a TS type's members, as `path: problem`. */
function compare(node: SchemaNode, members: Map<string, ts.TypeNode>, at: string): string[] {
  const target = node.items ?? node;
  if (!target.properties) return [];
  const problems: string[] = [];
  for (const [key, child] of Object.entries(target.properties)) {
    const member = members.get(key);
    if (!member) problems.push(`${at}.${key}: in the schema, missing in types.ts`);
    else problems.push(...compare(child, membersOf(member), `${at}.${key}`));
  }
  for (const key of members.keys()) if (!(key in target.properties)) problems.push(`${at}.${key}: in types.ts, missing in the schema`);
  return problems;
}

describe('src/spec/types.ts', () => {
  it('has exactly the properties of the schema, at every level', () => {
    expect(compare(schema, membersOfInterface('SpecV1'), 'spec')).toEqual([]);
  });

  it('is compared deeply (the walk reaches the burn windows)', () => {
    const alerting = membersOf(membersOfInterface('SpecSlo').get('alerting')!);
    const windows = membersOf(membersOf(alerting.get('page')!).get('windows')!);
    expect([...windows.keys()].sort()).toEqual(['budgetConsumed', 'factor', 'long', 'short']);
  });
});
