import { AVAILABILITY, ruleTable, service } from './helpers.js';

const withObjective = (o: string, window?: string) =>
  service(AVAILABILITY.replace('objective: 99.9', `objective: ${o}${window ? `\n  window: ${window}` : ''}`));

ruleTable('objective-budget', {
  valid: [
    { name: '99.99 over 30d (4m20s: demanding, but a real target)', yaml: withObjective('99.99') },
    { name: '99.999 over 365d (5m15s)', yaml: withObjective('99.999', '365d') },
  ],
  invalid: [
    { name: '99.999 over 30d (26s)', yaml: withObjective('99.999'), expect: [{ code: 'objective-budget-too-small', line: 11, col: 14 }] },
    { name: '99.9999 over 90d', yaml: withObjective('99.9999', '90d'), expect: [{ code: 'objective-budget-too-small', line: 11, col: 14 }] },
  ],
});
