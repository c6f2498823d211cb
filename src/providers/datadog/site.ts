/**
 * Where the Datadog API is: `datadog.url` if the config gives one (a proxy, a test server), else
 * `https://api.<site>` for the site the organisation lives on (datadoghq.com, datadoghq.eu,
 * us3.datadoghq.com, us5.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, ddog-gov.com).
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';

export const DEFAULT_SITE = 'datadoghq.com';

export function apiBaseUrl(config: { readonly site?: string; readonly url?: string }): { url?: string; diagnostics: Diagnostic[] } {
  if (config.url !== undefined) {
    let u: URL;
    try {
      u = new URL(config.url);
    } catch {
      return { diagnostics: [error('datadog-invalid-url', `datadog.url is not a URL: ${JSON.stringify(config.url)}`)] };
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return { diagnostics: [error('datadog-invalid-url', `datadog.url must be an http(s) URL, not ${u.protocol}`)] };
    if (u.username || u.password) return { diagnostics: [error('datadog-invalid-url', 'datadog.url must not hold credentials; the keys come from DD_API_KEY and DD_APP_KEY')] };
    return { url: config.url.replace(/\/+$/, ''), diagnostics: [] };
  }
  const site = (config.site ?? DEFAULT_SITE).trim().toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(site) || /^(api|app)\./.test(site)) {
    return {
      diagnostics: [
        error('datadog-invalid-site', `datadog.site must be a Datadog site name such as datadoghq.com or datadoghq.eu, got ${JSON.stringify(config.site)}`, undefined, {
          detail: 'Give the site without a scheme or an api./app. prefix, or the full API address as datadog.url.',
        }),
      ],
    };
  }
  return { url: `https://api.${site}`, diagnostics: [] };
}
