/**
 * slo.config.yaml: where the backends are. Found in the working directory or given with --config;
 * checked against schemas/config.schema.json; errors are diagnostics with positions. Secrets come
 * only from the environment (see `Secrets`), never from this file, and are never printed.
 */
import { readFileSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { assetPath } from '../assets.js';
import { error, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { LineCounter, parseDocument } from 'yaml';
import { parseBaseUrl } from '../model/base-url.js';
import { parseSpecText } from '../spec/load.js';
import { SourceMap, type PathSegment } from '../spec/source-map.js';
import { closest } from '../spec/suggest.js';
import { pointerToPath, fieldName } from '../spec/schema.js';

export const DEFAULT_CONFIG_FILE = 'slo.config.yaml';

export interface Config {
  readonly specs?: readonly string[];
  readonly prometheus?: {
    readonly url?: string;
    readonly rulesDir?: string;
    readonly reloadUrl?: string;
    readonly format?: 'operator' | 'rules';
    readonly ruler?: { readonly url: string; readonly tenant?: string; readonly namespace?: string };
  };
  readonly grafana?: { readonly url: string; readonly folder?: string };
  readonly datadog?: { readonly site?: string; readonly url?: string };
  readonly elasticsearch?: { readonly url: string };
  readonly kibana?: { readonly url: string; readonly space?: string };
  readonly apply?: { readonly concurrency?: number; readonly timeout?: string; readonly massDeleteShare?: number };
}

/** Secrets from the environment. Held apart from Config so nothing that prints a config can leak them. */
export interface Secrets {
  readonly datadogApiKey?: string;
  readonly datadogAppKey?: string;
  readonly grafanaToken?: string;
  readonly elasticsearchApiKey?: string;
  /** Mimir/Cortex ruler behind an authenticating gateway: a bearer token, or a user and password. */
  readonly rulerToken?: string;
  readonly rulerUsername?: string;
  readonly rulerPassword?: string;
}

export function secretsFromEnv(env: NodeJS.ProcessEnv): Secrets {
  // Surrounding whitespace is never part of a key; a trailing newline is a common paste or `echo` slip.
  const pick = (k: string) => {
    const v = env[k]?.trim();
    return v !== undefined && v !== '' ? { v } : undefined;
  };
  const dd = pick('DD_API_KEY');
  const app = pick('DD_APP_KEY');
  const gf = pick('GRAFANA_TOKEN');
  const es = pick('ELASTICSEARCH_API_KEY');
  const rulerToken = pick('PROMETHEUS_RULER_TOKEN');
  const rulerUser = pick('PROMETHEUS_RULER_USERNAME');
  const rulerPassword = pick('PROMETHEUS_RULER_PASSWORD');
  return {
    ...(dd ? { datadogApiKey: dd.v! } : {}),
    ...(app ? { datadogAppKey: app.v! } : {}),
    ...(gf ? { grafanaToken: gf.v! } : {}),
    ...(es ? { elasticsearchApiKey: es.v! } : {}),
    ...(rulerToken ? { rulerToken: rulerToken.v! } : {}),
    ...(rulerUser ? { rulerUsername: rulerUser.v! } : {}),
    ...(rulerPassword ? { rulerPassword: rulerPassword.v! } : {}),
  };
}

/**
 * Loads the config. `explicit` (from --config) must exist; otherwise slo.config.yaml in `cwd` is used if
 * present, and an empty config if not.
 */
export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<Result<Config>> {
  const file = explicit ?? `${cwd}/${DEFAULT_CONFIG_FILE}`;
  if (explicit === undefined) {
    try {
      await access(file);
    } catch {
      return { value: {}, diagnostics: [] };
    }
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return { value: {}, diagnostics: [error('config-not-found', `config file not found: ${file}`)] };
  }
  return parseConfig(explicit ?? DEFAULT_CONFIG_FILE, bytes);
}

export function parseConfig(file: string, bytes: Uint8Array): Result<Config> {
  const parsed = parseSpecTextAsConfig(file, bytes);
  if ('diagnostics' in parsed) return { value: {}, diagnostics: parsed.diagnostics };
  const validate = compiledConfigSchema();
  const valid = validate(parsed.data);
  const errors = validate.errors ?? [];
  const diagnostics: Diagnostic[] = errors.map((e) => schemaError(e, parsed.map));
  // The schema's "uri" format takes any scheme (localhost:9090/-/reload is scheme "localhost"); slo
  // speaks HTTP only. A field the schema already refused is not reported twice.
  const refused = new Set(errors.map((e) => e.instancePath));
  for (const path of urlFields(configSchema())) {
    const value = valueAt(parsed.data, path);
    if (typeof value !== 'string' || refused.has(`/${path.join('/')}`) || parseBaseUrl(value) !== undefined) continue;
    diagnostics.push(urlError(path, parsed.map));
  }
  if (valid && diagnostics.length === 0) return { value: parsed.data as Config, diagnostics: [] };
  return { value: {}, diagnostics };
}

function urlError(path: readonly string[], map: SourceMap): Diagnostic {
  return error('config-invalid', `${fieldName(path)} must be an http(s) URL without query or fragment, such as ${urlExample(path)}`, map.locate(path));
}

/** The paths of the schema's URL fields (format "uri"). */
function urlFields(node: SchemaNode, at: readonly string[] = []): string[][] {
  if (node.format === 'uri') return [[...at]];
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => urlFields(child, [...at, key]));
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const key of path) node = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** One schema error as the spec errors put it: the field as written, what it takes, a did-you-mean. */
function schemaError(e: ErrorObject, map: SourceMap): Diagnostic {
  const path = pointerToPath(e.instancePath);
  const field = fieldName(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(configSchemaAt(path)?.properties ?? {});
      const guess = closest(key, known);
      const hint = guess !== undefined ? `; did you mean "${guess}"?` : known.length > 0 ? `; known keys: ${known.join(', ')}` : '';
      const where = path.length === 0 ? 'at the top level of the config' : `in ${field} of the config`;
      return error('config-unknown-key', `unknown key "${key}" ${where}${hint}`, map.locateKey([...path, key]));
    }
    case 'format':
      if ((e.params as { format?: string }).format === 'uri') return error('config-invalid', `${field} must be an http(s) URL without query or fragment, such as ${urlExample(path)}`, map.locate(path));
      break;
    case 'enum':
      return error('config-invalid', `${field} must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String).join(', ')}`, map.locate(path));
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return error('config-invalid', `${path.length === 0 ? 'the config' : field} needs "${missing}"`, map.locate(path));
    }
    case 'type':
      return error('config-invalid', `${path.length === 0 ? 'the config' : field} must be ${article((e.params as { type: string }).type)}`, map.locate(path));
  }
  return error('config-invalid', `${field} ${e.message ?? 'is invalid'}`, map.locate(path));
}

/** Examples for URL fields, by field name: what a working value looks like. */
const URL_EXAMPLES: Readonly<Record<string, string>> = {
  'prometheus.url': 'http://prometheus:9090',
  'prometheus.reloadUrl': 'http://prometheus:9090/-/reload',
  'prometheus.ruler.url': 'http://mimir:8080',
  'grafana.url': 'https://grafana.example.com',
  'datadog.url': 'https://api.datadoghq.com',
  'elasticsearch.url': 'https://elasticsearch:9200',
  'kibana.url': 'https://kibana:5601',
};

function urlExample(path: readonly PathSegment[]): string {
  return URL_EXAMPLES[path.join('.')] ?? 'https://example.com';
}

function article(type: string): string {
  return type === 'object' ? 'a mapping (key: value lines)' : type === 'array' ? 'a list' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly format?: string;
}

/** The schema of the object at `path` of the config, for the keys it allows. */
function configSchemaAt(path: readonly PathSegment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = configSchema();
  for (const segment of path) node = typeof segment === 'string' ? node?.properties?.[segment] : undefined;
  return node;
}

function parseSpecTextAsConfig(file: string, bytes: Uint8Array): { data: unknown; map: SourceMap } | { diagnostics: Diagnostic[] } {
  // The hardened spec reader checks encoding, alias bombs and duplicate keys. It drops documents without
  // an apiVersion (a config has none), so the document is parsed once more here for its data and map.
  // Its message for an empty file asks for a spec; a config is not one.
  const hard = parseSpecText(file, bytes)
    .diagnostics.filter((d) => d.code !== 'missing-api-version' && d.code !== 'not-a-spec')
    .map((d) => (d.code === 'empty-file' ? error('config-empty', `the config file ${file} is empty; set up a backend in it (see docs/plan-apply.md) or delete it`, d.source) : d));
  if (hard.length > 0) return { diagnostics: hard };
  const lines = new LineCounter();
  const doc = parseDocument(new TextDecoder().decode(bytes), { lineCounter: lines, uniqueKeys: true });
  return { data: doc.toJS({ maxAliasCount: 100 }) ?? {}, map: new SourceMap(file, { doc, lines }) };
}

let configValidator: ReturnType<Ajv2020['compile']> | undefined;

function compiledConfigSchema(): ReturnType<Ajv2020['compile']> {
  if (configValidator) return configValidator;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
  addFormats(ajv);
  configValidator = ajv.compile(configSchema() as object);
  return configValidator;
}

let schemaJson: SchemaNode | undefined;

function configSchema(): SchemaNode {
  schemaJson ??= JSON.parse(readFileSync(assetPath('schemas', 'config.schema.json'), 'utf8')) as SchemaNode;
  return schemaJson;
}
