/**
 * Alert texts are rendered once per policy and shared by the alerting targets, except when the text
 * may show the `dashboard` link, which each target sets to its own dashboard.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESCRIPTION, DEFAULT_SUMMARY, mayShowDashboard, renderAlertText } from '../../src/model/alert-text.js';
import { AVAILABILITY, modelFromYaml, serviceSpec } from '../prometheus/helpers.js';

const SHOWS = [
  'see {{dashboard}}',
  '{{#if dashboard}}linked{{/if}}',
  '{{#each this}}{{@key}}={{this}} {{/each}}',
  '{{lookup . "dashboard"}}',
  '{{#with this}}{{dashboard}}{{/with}}',
  '{{@root.dashboard}}',
  '{{> footer}}',
];
const HIDES = [DEFAULT_SUMMARY, DEFAULT_DESCRIPTION, '{{service}}/{{slo}} at {{severity}}: {{runbook}}', 'no variables at all'];

describe('mayShowDashboard', () => {
  it.each(SHOWS)('%s may show it', (text) => expect(mayShowDashboard(text)).toBe(true));
  it.each(HIDES)('%s cannot', (text) => expect(mayShowDashboard(text)).toBe(false));
});

describe('renderAlertText', () => {
  const render = async (description: string) => {
    const quoted = JSON.stringify(description);
    const model = await modelFromYaml(serviceSpec(AVAILABILITY, `messages:\n  description: ${quoted}\n`));
    const service = model.services[0]!;
    const slo = service.slos[0]!;
    const policy = slo.alerts[0]!;
    return (dashboard: string) => renderAlertText(service, slo, policy, dashboard).description;
  };

  it.each(SHOWS.filter((t) => !t.includes('>') && !t.includes('#if')))('gives each target its own link when the text shows it: %s', async (text) => {
    const text1 = await render(text);
    expect(text1('https://grafana.example.com/d/a')).toContain('https://grafana.example.com/d/a');
    expect(text1('https://app.datadoghq.com/dashboard/b')).toContain('https://app.datadoghq.com/dashboard/b');
  });

  it('renders a text that cannot show the link once for every target', async () => {
    const text = await render('{{service}} {{slo}} burns');
    expect(text('https://grafana.example.com/d/a')).toBe('api availability burns');
    expect(text('https://app.datadoghq.com/dashboard/b')).toBe('api availability burns');
  });
});
