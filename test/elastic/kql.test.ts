import { describe, expect, it } from 'vitest';
import { escapeLucene, kqlToQuery } from '../../src/backends/elastic/kql.js';

const ok = (kql: string) => {
  const r = kqlToQuery(kql);
  if (!r.ok) throw new Error(`${kql}: ${r.message} at ${r.offset}`);
  return r.query;
};

describe('KQL → query DSL (as Kibana translates it without a data view)', () => {
  it.each([
    ['', { match_all: {} }],
    ['   ', { match_all: {} }],
    ['service.name:"checkout"', { match_phrase: { 'service.name': 'checkout' } }],
    ['service.name : "checkout"', { match_phrase: { 'service.name': 'checkout' } }],
    ['service.name:checkout', { match: { 'service.name': 'checkout' } }],
    ['http.response.status_code:500', { match: { 'http.response.status_code': '500' } }],
    ['http.response.status_code:"500"', { match_phrase: { 'http.response.status_code': '500' } }],
    ['transaction.sampled:true', { match: { 'transaction.sampled': true } }],
    ['version:1.10', { match: { version: '1.10' } }],
    ['message: hello world', { match: { message: 'hello world' } }],
    ['message:"say \\"hi\\""', { match_phrase: { message: 'say "hi"' } }],
    ['path:a\\:b', { match: { path: 'a:b' } }],
    ['"url.path":"/api"', { match_phrase: { 'url.path': '/api' } }],
    ['@timestamp:*', { exists: { field: '@timestamp' } }],
    ['url.path:/api/*', { query_string: { fields: ['url.path'], query: '\\/api\\/*' } }],
    ['host.name:web-* ', { query_string: { fields: ['host.name'], query: 'web\\-*' } }],
    ['name:a\\*b', { match: { name: 'a*b' } }],
    ['name:\\and', { match: { name: 'and' } }],
    ['msg:"C:\\dir"', { match_phrase: { msg: 'C:\\dir' } }],
    ['msg:"tab\\there"', { match_phrase: { msg: 'tab\there' } }],
    ['msg:caf\\u00e9', { match: { msg: 'café' } }],
    ['transaction.duration.us > 300000', { range: { 'transaction.duration.us': { gt: '300000' } } }],
    ['transaction.duration.us>=300000', { range: { 'transaction.duration.us': { gte: '300000' } } }],
    ['bytes < 10', { range: { bytes: { lt: '10' } } }],
    ['bytes <= 10', { range: { bytes: { lte: '10' } } }],
    ['@timestamp < "2024-01-01"', { range: { '@timestamp': { lt: '2024-01-01' } } }],
    ['checkout', { multi_match: { type: 'best_fields', query: 'checkout', lenient: true } }],
    ['"checkout failed"', { multi_match: { type: 'phrase', query: 'checkout failed', lenient: true } }],
    ['*', { match_all: {} }],
  ])('%s', (kql, query) => {
    expect(ok(kql)).toEqual(query);
  });

  it('and → bool.filter, flattened', () => {
    expect(ok('a:1 and b:2 AND c:3')).toEqual({ bool: { filter: [{ match: { a: '1' } }, { match: { b: '2' } }, { match: { c: '3' } }] } });
    expect(ok('a:1 and (b:2 and c:3)')).toEqual({ bool: { filter: [{ match: { a: '1' } }, { match: { b: '2' } }, { match: { c: '3' } }] } });
  });

  it('spaces around keywords and values do not belong to the values', () => {
    expect(ok('  a : x   or\tb:y  ')).toEqual({ bool: { should: [{ match: { a: 'x' } }, { match: { b: 'y' } }], minimum_should_match: 1 } });
  });

  it('or → bool.should with minimum_should_match 1', () => {
    expect(ok('a:1 or b:2 Or c:3')).toEqual({ bool: { should: [{ match: { a: '1' } }, { match: { b: '2' } }, { match: { c: '3' } }], minimum_should_match: 1 } });
  });

  it('not → bool.must_not', () => {
    expect(ok('not a:1')).toEqual({ bool: { must_not: [{ match: { a: '1' } }] } });
    expect(ok('NOT (a:1 or b:2)')).toEqual({ bool: { must_not: [{ bool: { should: [{ match: { a: '1' } }, { match: { b: '2' } }], minimum_should_match: 1 } }] } });
  });

  it('and binds tighter than or', () => {
    expect(ok('a:1 or b:2 and c:3')).toEqual({
      bool: { should: [{ match: { a: '1' } }, { bool: { filter: [{ match: { b: '2' } }, { match: { c: '3' } }] } }], minimum_should_match: 1 },
    });
  });

  it('parentheses group', () => {
    expect(ok('(a:1 or b:2) and c:3')).toEqual({
      bool: { filter: [{ bool: { should: [{ match: { a: '1' } }, { match: { b: '2' } }], minimum_should_match: 1 } }, { match: { c: '3' } }] },
    });
  });

  it('field:(value list) applies the field to every value', () => {
    expect(ok('http.response.status_code:(500 or 502 or "503")')).toEqual({
      bool: {
        should: [{ match: { 'http.response.status_code': '500' } }, { match: { 'http.response.status_code': '502' } }, { match_phrase: { 'http.response.status_code': '503' } }],
        minimum_should_match: 1,
      },
    });
    expect(ok('tags:(a and not b)')).toEqual({ bool: { filter: [{ match: { tags: 'a' } }, { bool: { must_not: [{ match: { tags: 'b' } }] } }] } });
  });

  it('translates the example SLIs', () => {
    expect(ok('service.name:"checkout" and processor.event:"transaction" and event.outcome:"failure"')).toEqual({
      bool: {
        filter: [{ match_phrase: { 'service.name': 'checkout' } }, { match_phrase: { 'processor.event': 'transaction' } }, { match_phrase: { 'event.outcome': 'failure' } }],
      },
    });
  });

  it('numbers stay text, as in Kibana (Elasticsearch coerces them)', () => {
    expect(ok('a:1 and b:2')).toEqual({ bool: { filter: [{ match: { a: '1' } }, { match: { b: '2' } }] } });
  });

  it('keywords are words: "android" and "order" are values, not operators', () => {
    expect(ok('os:android and cart:order')).toEqual({ bool: { filter: [{ match: { os: 'android' } }, { match: { cart: 'order' } }] } });
    expect(ok('status:not_found')).toEqual({ match: { status: 'not_found' } });
  });
});

describe('KQL the converter refuses, with the offset of the problem', () => {
  it.each([
    ['user:{ name:"x" }', 'nested field queries', 5],
    ['service.*:checkout', 'wildcards in field names', 0],
    ['a:"open', 'unterminated quoted string', 2],
    ['(a:1', '")" is missing', 4],
    ['a:1)', 'unexpected ")"', 3],
    ['a:', 'a value is missing', 2],
    ['a > b*', 'a range value cannot contain a wildcard', 0],
    ['a:1 b:2', 'unexpected ":"', 5],
    ['a:b\\c', 'a backslash must escape', 3],
    ['message:cannot reach', 'unexpected "n"', 11],
  ])('%s', (kql, message, offset) => {
    const r = kqlToQuery(kql);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.offset).toBe(offset);
    }
  });
});

describe('Lucene escaping of wildcard values', () => {
  it('escapes every query-string operator and whitespace', () => {
    expect(escapeLucene('a+b-c=d&e|f>g<h!i(j)k{l}m[n]o^p"q~r*s?t:u\\v/w x')).toBe(
      'a\\+b\\-c\\=d\\&e\\|f\\>g\\<h\\!i\\(j\\)k\\{l\\}m\\[n\\]o\\^p\\"q\\~r\\*s\\?t\\:u\\\\v\\/w\\ x',
    );
  });
});
