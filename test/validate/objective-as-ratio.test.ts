import { expect, it } from 'vitest';
import { AVAILABILITY, ruleTable, service, validateYaml } from './helpers.js';

const withObjective = (o: string) => service(AVAILABILITY.replace('objective: 99.9', `objective: ${o}`));

ruleTable('objective-as-ratio', {
  valid: [
    { name: '99.9', yaml: withObjective('99.9') },
    { name: '95', yaml: withObjective('95') },
    { name: '99.95', yaml: withObjective('99.95') },
  ],
  invalid: [
    { name: '0.999', yaml: withObjective('0.999'), expect: [{ code: 'objective-as-ratio', line: 11, col: 14 }] },
    { name: '0.95', yaml: withObjective('0.95'), expect: [{ code: 'objective-as-ratio', line: 11, col: 14 }] },
  ],
});

it('suggests the percentage without float noise', () => {
  const [d] = validateYaml(withObjective('0.9995'));
  expect(d?.summary).toContain('did you mean 99.95?');
});

it.each([
  ['0.5', 'did you mean 50?'],
  ['0.01', 'did you mean 1?'],
  // No percentage makes sense of these: no "did you mean 0.?"
  ['1e-300', 'write the percentage of good events, such as 99.9'],
  ['0.001', 'write the percentage of good events, such as 99.9'],
])('objective %s: %s', (objective, hint) => {
  const [d] = validateYaml(withObjective(objective));
  expect(d?.summary).toMatch(new RegExp(`; ${hint.replace(/[.?]/g, '\\$&')}$`));
});
