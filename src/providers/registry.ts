/**
 * Every backend plan/apply can write to. Adding one = a folder under src/providers/<backend>/ exporting a
 * ProviderFactory + one line here. Backends without a line here can be built but not applied.
 */
import { datadogProvider } from './datadog/index.js';
import { elasticProvider } from './elastic/index.js';
import { grafanaProvider } from './grafana/index.js';
import { prometheusProvider } from './prometheus/index.js';
import type { ProviderFactory } from './provider.js';

export const providerFactories = [prometheusProvider, grafanaProvider, datadogProvider, elasticProvider] as const satisfies readonly ProviderFactory[];

export function findProviderFactory(backend: string): ProviderFactory | undefined {
  return (providerFactories as readonly ProviderFactory[]).find((f) => f.backend === backend);
}
