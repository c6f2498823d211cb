import { ruleTable, withSli, yaml } from './helpers.js';

const elastic = (field: string, unit?: string) =>
  withSli(
    yaml`
    sli:
      latency:
        threshold: 300ms
        elasticsearch:
          index: traces-apm*
          filter: 'service.name:"checkout"'
          field: ${field}
    ` + (unit ? `      unit: ${unit}\n` : ''),
    '99',
  );

ruleTable('elastic-unit', {
  valid: [
    { name: 'an APM field with its default unit', yaml: elastic('transaction.duration.us') },
    { name: 'an APM field with unit us', yaml: elastic('transaction.duration.us', 'us') },
    { name: 'event.duration in ns', yaml: elastic('event.duration', 'ns') },
    { name: 'a custom field in ms', yaml: elastic('response_time_ms', 'ms') },
  ],
  invalid: [
    { name: 'an APM field in ms', yaml: elastic('transaction.duration.us', 'ms'), expect: [{ code: 'elastic-unit-mismatch', line: 19, col: 15 }] },
    { name: 'event.duration with the default unit', yaml: elastic('event.duration'), expect: [{ code: 'elastic-unit-mismatch', line: 18, col: 16 }] },
  ],
});
