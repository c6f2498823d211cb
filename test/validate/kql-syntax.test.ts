import { ruleTable, withSli, yaml } from './helpers.js';

/** The total filter's value starts at line 16, col 17 (after the opening single quote). */
const withTotal = (total: string) =>
  withSli(yaml`
    sli:
      events:
        elasticsearch:
          index: traces-apm*
          total: '${total}'
          errors: 'service.name:"checkout" and event.outcome:"failure"'
  `);

ruleTable('kql-syntax', {
  valid: [
    { name: 'quoted values', yaml: withTotal('service.name:"checkout" and processor.event:"transaction"') },
    { name: 'grouping', yaml: withTotal('service.name:("checkout" or "cart") and not http.response.status_code >= 500') },
    { name: 'an escaped quote', yaml: withTotal('message:"say \\"hi\\""') },
  ],
  invalid: [
    { name: 'an unclosed string', yaml: withTotal('service.name:"checkout'), expect: [{ code: 'kql-syntax', line: 16, col: 30 }] },
    { name: 'an unclosed parenthesis', yaml: withTotal('service.name:("checkout" or "cart"'), expect: [{ code: 'kql-syntax', line: 16, col: 30 }] },
    { name: 'a stray closing parenthesis', yaml: withTotal('service.name:"checkout")'), expect: [{ code: 'kql-syntax', line: 16, col: 40 }] },
  ],
});
