import { invalidConfig } from '@tokenvault/protocol';

/**
 * Parses an exact origin (`scheme://host[:port]`, nothing after it but an optional `/`) and returns
 * its canonical serialization. Throws `TV_INVALID_CONFIG` naming the field otherwise.
 */
export function parseOrigin(value: unknown, name: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalidConfig(name, { why: 'originNotUrl', value: String(value) });
  }
  if (
    typeof value !== 'string' ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw invalidConfig(name, { why: 'originShape', value: String(value) });
  }
  return url.origin;
}
