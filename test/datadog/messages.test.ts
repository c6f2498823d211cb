/**
 * Monitor messages: the shared alert text rendered by slo, Datadog's own template variables left for
 * Datadog, notification routes as @-handles.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { burnRateText, DATADOG_VARS, errorBudgetText, notificationHandle } from '../../src/backends/datadog/messages.js';
import { fitBurnWindow } from '../../src/backends/datadog/windows.js';
import type { NotificationKind, Service, Slo } from '../../src/model/types.js';
import { loadDir } from './helpers.js';
import { ROOT } from './openapi.js';

describe('notificationHandle', () => {
  it.each([
    ['pagerduty', 'payments-oncall', '@pagerduty-payments-oncall'],
    ['opsgenie', 'finance-primary', '@opsgenie-finance-primary'],
    ['slack', '#payments-alerts', '@slack-payments-alerts'],
    ['slack', 'payments-alerts', '@slack-payments-alerts'],
    ['email', 'payments@example.com', '@payments@example.com'],
    ['webhook', 'supply-bot', '@webhook-supply-bot'],
    ['msteams', 'supply-alerts', '@teams-supply-alerts'],
  ] as const)('%s:%s → %s', (kind: NotificationKind, target, handle) => {
    expect(notificationHandle({ kind, target })).toBe(handle);
  });
});

describe('burn-rate messages', async () => {
  const examples = await loadDir(path.join(ROOT, 'slos'));
  const custom = await loadDir(path.join(ROOT, 'test', 'golden', 'datadog-routes-alerts-and-keeps-custom-messages', 'in'));
  const find = (services: readonly Service[], id: string): { service: Service; slo: Slo } => {
    for (const service of services) for (const slo of service.slos) if (slo.id === id) return { service, slo };
    throw new Error(id);
  };
  const text = (services: readonly Service[], id: string, policyName: 'page' | 'ticket', dashboardUrl = 'https://dash.example.com') => {
    const { service, slo } = find(services, id);
    const policy = slo.alerts.find((p) => p.name === policyName)!;
    return burnRateText({ service, slo, dashboardUrl }, policy, fitBurnWindow(policy.windows[0]!, slo.window));
  };

  it("keep Datadog's template variables verbatim, in a block structure Datadog parses", () => {
    const { message } = text(examples.services, 'checkout/availability', 'page');
    const lines = message.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '{{#is_alert}}',
      'checkout availability: error budget burning too fast (page)',
      '{{/is_alert}}',
      '{{#is_recovery}}',
      'Recovered: checkout availability: error budget burning too fast (page)',
      '{{/is_recovery}}',
    ]);
    expect(message).toContain(`Burn rate now: ${DATADOG_VARS.value}.`);
    expect(message.match(/\{\{[^}]*\}\}/g)).toEqual(['{{#is_alert}}', '{{/is_alert}}', '{{#is_recovery}}', '{{/is_recovery}}', '{{value}}']);
  });

  it("render the service's own templates and still keep Datadog's variables", () => {
    const { name, message } = text(custom.services, 'inventory/reservations', 'page');
    expect(name).toBe('[critical] inventory/reservations burns its budget [10x over 2h]');
    expect(message).toContain('Team supply: reservations is below 99.5% over 30d; see https://runbooks.example.com/inventory');
    expect(message).toContain('{{#is_alert}}\n[critical] inventory/reservations burns its budget\n{{/is_alert}}');
    expect(message).toContain('{{value}}');
  });

  it('text in the spec is data, not a template: braces in a description survive', () => {
    const { service, slo } = find(examples.services, 'checkout/availability');
    const tricky: Slo = { ...slo, description: 'Counted as {{value}} by {{#each}}' };
    const policy = slo.alerts[0]!;
    const { message } = burnRateText({ service, slo: tricky, dashboardUrl: 'x' }, policy, fitBurnWindow(policy.windows[0]!, slo.window));
    expect(message).toContain('Counted as {{value}} by {{#each}}.');
  });

  it('end with the routes as handles, outside any conditional block, so recoveries notify too', () => {
    const page = text(custom.services, 'inventory/reservations', 'page').message.split('\n');
    expect(page[page.length - 1]).toBe('@pagerduty-supply-oncall @teams-supply-alerts @webhook-supply-bot');
    const ticket = text(custom.services, 'inventory/reservations', 'ticket').message.split('\n');
    expect(ticket[ticket.length - 1]).toBe('@slack-supply @supply@example.com');
  });

  it('carry the objective, window, runbook, dashboard link and policy annotations', () => {
    const { message } = text(custom.services, 'inventory/reservations', 'page', 'https://dash.example.com/inventory');
    expect(message).toContain('SLO: 99.5% over 30d (inventory/reservations, team supply)');
    expect(message).toContain('Runbook: https://runbooks.example.com/inventory');
    expect(message).toContain('Dashboard: https://dash.example.com/inventory');
    expect(message).toContain('playbook: https://wiki.example.com/inventory');
    expect(message).toContain('faster than 10x over both the last 2h and the last 10m');
  });

  it('say when a window was fitted to what Datadog supports', () => {
    const { message } = text(examples.services, 'payments-gateway/latency', 'page');
    expect(message).toContain('faster than 3.36x over both the last 1h and the last 4m');
    expect(message).toContain('The spec asks for 14.4x over 14m and 1m');
  });

  it('error budget: routed like the ticket policy, value shown by Datadog', () => {
    const { service, slo } = find(examples.services, 'checkout/availability');
    const ticket = slo.alerts.find((p) => p.name === 'ticket');
    const { name, message } = errorBudgetText({ service, slo, dashboardUrl: 'x' }, ticket, 75);
    expect(name).toBe('checkout availability: 75% of the 30d error budget is spent');
    expect(message).toContain('has spent {{value}}% of its error budget');
    expect(message.split('\n').at(-1)).toBe('@slack-payments-alerts @payments@example.com');
  });
});
