/** slo.config.yaml + environment → the Datadog provider: where it points, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../../src/plan/make-plan.js';
import { datadogProvider } from '../../../src/providers/datadog/index.js';
import { startFakeDatadog } from '../../fakes/datadog/server.js';
import { exampleResources } from './harness.js';

const KEYS = { datadogApiKey: 'api-3c9f0e1b7a2d4c68', datadogAppKey: 'app-8e2b5d1f9c0a7e34b6d2' };
const SETTINGS = { timeoutMs: 30_000 };

describe('Datadog provider configuration', () => {
  it('is not set up without a datadog section', () => {
    expect(datadogProvider.configure({}, KEYS, SETTINGS)).toEqual({ diagnostics: [] });
  });

  it.each([
    [{}, 'Datadog API https://api.datadoghq.com'],
    [{ site: 'datadoghq.eu' }, 'Datadog API https://api.datadoghq.eu'],
    [{ site: 'us5.datadoghq.com' }, 'Datadog API https://api.us5.datadoghq.com'],
    [{ site: 'datadoghq.eu', url: 'http://127.0.0.1:8126/' }, 'Datadog API http://127.0.0.1:8126'],
  ])('points %j at %s', (datadog, endpoint) => {
    const { provider, diagnostics } = datadogProvider.configure({ datadog }, KEYS, SETTINGS);
    expect(diagnostics).toEqual([]);
    expect(provider?.endpoint).toBe(endpoint);
    expect(provider?.kinds).toEqual(['slo', 'dashboard', 'monitor']);
  });

  it.each([
    [{ site: 'https://app.datadoghq.eu' }, 'datadog-invalid-site'],
    [{ site: 'api.datadoghq.com' }, 'datadog-invalid-site'],
    [{ url: 'ftp://example.com' }, 'datadog-invalid-url'],
    [{ url: 'https://user:pw@example.com' }, 'datadog-invalid-url'],
  ])('refuses %j', (datadog, code) => {
    const { provider, diagnostics } = datadogProvider.configure({ datadog }, KEYS, SETTINGS);
    expect(provider).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual([code]);
  });

  it('needs both keys from the environment, and names the variables, never values', () => {
    const { provider, diagnostics } = datadogProvider.configure({ datadog: {} }, { datadogApiKey: KEYS.datadogApiKey }, SETTINGS);
    expect(provider).toBeUndefined();
    expect(diagnostics).toMatchObject([{ code: 'datadog-credentials-missing', severity: 'error', summary: 'Datadog needs DD_APP_KEY in the environment' }]);
    expect(JSON.stringify(diagnostics)).not.toContain(KEYS.datadogApiKey);
    expect(datadogProvider.configure({ datadog: {} }, {}, SETTINGS).diagnostics[0]!.summary).toBe('Datadog needs DD_API_KEY and DD_APP_KEY in the environment');
  });

  it('configured from the config and the environment, plans against the API it points at', async () => {
    const fake = await startFakeDatadog({ apiKey: KEYS.datadogApiKey, appKey: KEYS.datadogAppKey });
    try {
      const { provider } = datadogProvider.configure({ datadog: { url: fake.url } }, KEYS, SETTINGS);
      const made = await makePlan(await exampleResources(), new Map([['datadog', provider!]]), { prune: false, allowMassDelete: false });
      expect(made.diagnostics).toEqual([]);
      expect(made.plan!.summary).toMatchObject({ create: 20 });
      expect(made.plan!.providers).toEqual([{ backend: 'datadog', endpoint: `Datadog API ${fake.url}` }]);
    } finally {
      await fake.close();
    }
  });

  it('keeps the keys out of everything it shows', () => {
    const { provider } = datadogProvider.configure({ datadog: { site: 'datadoghq.eu' } }, KEYS, SETTINGS);
    const shown = JSON.stringify({ endpoint: provider!.endpoint, backend: provider!.backend, kinds: provider!.kinds });
    expect(shown).not.toContain(KEYS.datadogApiKey);
    expect(shown).not.toContain(KEYS.datadogAppKey);
  });
});
