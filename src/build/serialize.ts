/**
 * Serializers for generated files. Output is deterministic: objects keep the key order the compilers
 * build (a fixed order chosen for readability), no timestamps, a fixed header, a final newline.
 */
import { emitYaml } from './yaml-emit.js';
import { GENERATED_HEADER } from '../model/conventions.js';

/** YAML with the generated-code header as a comment. Long strings are never folded. */
export function toYaml(value: unknown, { header = true }: { header?: boolean } = {}): string {
  const body = emitYaml(value);
  return header ? `# ${GENERATED_HEADER}\n${body}` : body;
}

/** Two-space JSON with a final newline. JSON has no comments, so the header is left to the caller. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
