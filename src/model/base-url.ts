/**
 * A base URL as slo takes it, from a flag, a target option or slo.config.yaml: absolute http(s) with a
 * host, no whitespace, no query and no fragment (paths are appended to it: `<base>/api/search`,
 * `<base>/d/<uid>`, and a `?x` or `#x` in the middle would break them). One test for every place a base
 * URL comes in, so a value the config accepts is never refused later under another name.
 */
export type BaseUrl = string & { readonly __brand: 'BaseUrl' };

/** The URL without trailing slashes, or undefined if it is not a base URL slo can use. */
export function parseBaseUrl(text: string): BaseUrl | undefined {
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(text)) return undefined;
  try {
    new URL(text); // rejects what the pattern lets through: a bad port, a malformed host
  } catch {
    return undefined;
  }
  return text.replace(/\/+$/, '') as BaseUrl;
}
