import { ruleTable, withSli, yaml } from './helpers.js';

ruleTable('identical-ratio-queries', {
  valid: [
    {
      name: 'different queries',
      yaml: withSli(yaml`
        sli:
          events:
            datadog:
              good: sum:hits{service:checkout,!status:5xx}.as_count()
              total: sum:hits{service:checkout}.as_count()
      `),
    },
  ],
  invalid: [
    {
      name: 'errors equal to total, up to spacing',
      yaml: withSli(yaml`
        sli:
          events:
            prometheus:
              errors: sum(rate(x[{{window}}]))
              total: sum( rate(x[{{window}}]) )
      `),
      expect: [{ code: 'ratio-queries-identical', line: 15, col: 17 }],
    },
    {
      name: 'good equal to total in Elasticsearch',
      yaml: withSli(yaml`
        sli:
          events:
            elasticsearch:
              index: traces-apm*
              good: 'service.name:"checkout"'
              total: 'service.name:"checkout"'
      `),
      expect: [{ code: 'ratio-queries-identical', line: 16, col: 15 }],
    },
  ],
});
