import { invalidConfig } from '@tokenvault/protocol';
import { parseOrigin } from './parseOrigin.js';

/**
 * Names browsers treat as secure contexts over plain http: `localhost`, `*.localhost` and the
 * loopback addresses.
 * @see https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '[::1]';
}

/**
 * {@link parseOrigin}, refusing plain `http:` on any host that is not loopback: a credential or a
 * token response sent there crosses the network in clear. Throws `TV_INVALID_CONFIG` naming the field.
 *
 * @example
 * ```ts
 * secureOrigin('https://api.example.com', 'rules[0].origin') // 'https://api.example.com'
 * secureOrigin('http://api.example.com', 'rules[0].origin')  // throws: rules[0].origin must be https …
 * ```
 */
export function secureOrigin(value: unknown, field: string): string {
  const origin = parseOrigin(value, field);
  if (new URL(origin).protocol === 'http:' && !isLoopbackHost(new URL(origin).hostname)) {
    throw invalidConfig(field, { why: 'originNotHttps', origin });
  }
  return origin;
}
