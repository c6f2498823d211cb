import { describe, expect, it } from 'vitest';
import { alertTextVars } from '../../src/model/alert-text.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { MESSAGE_VARIABLES } from '../../src/validate/rules/message-templates.js';
import { AVAILABILITY, ruleTable, service } from './helpers.js';

/** `messages:` is line 9, summary line 10 (value from col 13, after the quote), and slos move down by 3. */
const withSummary = (summary: string) => service(AVAILABILITY, `messages:\n  summary: ${summary}\n  description: plain text\n`);

ruleTable('message-templates', {
  valid: [
    { name: 'known variables', yaml: withSummary('"{{service}} {{slo}} ({{severity}}): {{objective}}% over {{window}}"') },
    { name: 'if blocks', yaml: withSummary('"{{#if runbook}}see {{runbook}}{{else}}no runbook{{/if}}"') },
    { name: 'each with this', yaml: withSummary('"{{#each slo}}{{this}}{{/each}}"') },
  ],
  invalid: [
    { name: 'a misspelt variable', yaml: withSummary('"{{service}} ({{sevrity}})"'), expect: [{ code: 'message-template', line: 10, col: 28 }] },
    { name: 'a Prometheus placeholder', yaml: withSummary("'value {{ $value }}'"), expect: [{ code: 'message-template', line: 10, col: 22 }] },
    { name: 'an unclosed block, at its opening', yaml: withSummary('"a {{#if runbook}}b"'), expect: [{ code: 'message-template', line: 10, col: 15 }] },
    { name: 'an unknown helper', yaml: withSummary('"{{upper service}}"'), expect: [{ code: 'message-template', line: 10, col: 15 }] },
    {
      name: 'in a folded block scalar, on its second line',
      yaml: service(AVAILABILITY, 'messages:\n  description: >-\n    The {{slo}} SLO\n    of {{servce}} burns.\n'),
      expect: [{ code: 'message-template', line: 12, col: 10 }],
    },
  ],
});

describe('message variables', () => {
  it('are exactly the variables alert texts are rendered with', async () => {
    const { model } = await loadModel(['slos']);
    const service = model!.services[0]!;
    const slo = service.slos[0]!;
    expect([...MESSAGE_VARIABLES].sort()).toEqual(Object.keys(alertTextVars(service, slo, slo.alerts[0]!)).sort());
  });
});
