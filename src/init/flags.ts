/**
 * The service name and `--team` of `slo init`, checked before anything is written, with the patterns of
 * the spec schema itself: a starter spec that `slo validate` then rejects is no start.
 */
import { readFileSync } from 'node:fs';
import { assetPath } from '../assets.js';
import { sourceless, type Diagnostic } from '../diagnostics/diagnostic.js';

interface MetadataPatterns {
  readonly name: RegExp;
  readonly team: RegExp;
}

let patterns: MetadataPatterns | undefined;

function metadataPatterns(): MetadataPatterns {
  if (patterns) return patterns;
  const schema = JSON.parse(readFileSync(assetPath('schemas', 'service.schema.json'), 'utf8')) as {
    properties: { metadata: { properties: { name: { pattern: string }; team: { pattern: string } } } };
  };
  const metadata = schema.properties.metadata.properties;
  patterns = { name: new RegExp(metadata.name.pattern, 'u'), team: new RegExp(metadata.team.pattern, 'u') };
  return patterns;
}

export function checkInitFlags(name: string, team: string): Diagnostic[] {
  const { name: namePattern, team: teamPattern } = metadataPatterns();
  const diagnostics: Diagnostic[] = [];
  if (!namePattern.test(name)) {
    diagnostics.push(
      sourceless('bad-name', `service name "${name}" must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`),
    );
  }
  if (team === '') diagnostics.push(sourceless('bad-team', '--team must not be empty; give the owning team, such as payments'));
  else if (!teamPattern.test(team)) {
    diagnostics.push(sourceless('bad-team', `--team "${team}" must start with a letter or digit and hold only letters, digits, '_', '.' and '-'`));
  }
  return diagnostics;
}
