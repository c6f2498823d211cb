import { AVAILABILITY, ruleTable, service } from './helpers.js';

const withObjective = (o: string, alerting = '') => service(AVAILABILITY.replace('objective: 99.9', `objective: ${o}`) + alerting);
const pageWindow = (w: string) => `  alerting:\n    page:\n      windows:\n        - ${w}\n`;

ruleTable('burn-rate-reachable', {
  valid: [
    { name: 'defaults at 99.9', yaml: withObjective('99.9') },
    { name: 'defaults at 95 (14.4 x 5% = 72%)', yaml: withObjective('95') },
    { name: 'objective 90 with page off', yaml: withObjective('90', '  alerting:\n    page: false\n    ticket: { notify: [ ticket, page ] }\n') },
    { name: 'objective 90 with a reachable page factor', yaml: withObjective('90', pageWindow('{ long: 1h, short: 5m, factor: 5 }')) },
    { name: 'a budget share that stays reachable', yaml: withObjective('99', pageWindow('{ long: 1h, short: 5m, budgetConsumed: 0.02 }')) },
  ],
  invalid: [
    { name: 'defaults at 90 (14.4 x 10%)', yaml: withObjective('90'), expect: [{ code: 'unreachable-burn-rate', line: 11, col: 14 }] },
    {
      name: 'an explicit factor at exactly 100% errors',
      yaml: withObjective('95', pageWindow('{ long: 1h, short: 5m, factor: 20 }')),
      expect: [{ code: 'unreachable-burn-rate', line: 20, col: 42 }],
    },
    {
      name: 'a budget share whose derived factor is unreachable',
      yaml: withObjective('95', pageWindow('{ long: 1h, short: 5m, budgetConsumed: 0.5 }')),
      expect: [{ code: 'unreachable-burn-rate', line: 20, col: 50 }],
    },
  ],
});
