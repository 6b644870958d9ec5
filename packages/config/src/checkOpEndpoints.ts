import { invalidConfig, OP_ENDPOINT_KINDS, type OpEndpointKind, type OpEndpoints } from '@tokenvault/protocol';
import type { PassThroughPath } from './classifyOpRequest.js';
import { routeOrigin, routePath } from './routePath.js';
import type { NormalizedRule } from './rules.js';

/** Endpoints the vault must route and handle itself; `end_session` is a page navigation. */
const HANDLED: readonly Exclude<OpEndpointKind, 'end_session'>[] = ['token', 'revocation', 'introspection', 'userinfo', 'pushed_authorization_request', 'device_authorization'];

/** True when a rule base covers a path, both compared as OPs route them (see routePath). */
export function baseCovers(base: string, path: string): boolean {
  const prefix = routePath(base);
  const target = routePath(path);
  return prefix === '' || target === prefix || target.startsWith(`${prefix}/`);
}

/**
 * Checks the configuration against the OP's discovered endpoints, at proxy start-up. Throws
 * `TV_INVALID_CONFIG` naming the field when
 * - an endpoint the vault handles lives on an origin that is neither the issuer's nor in
 *   `opOrigins` (the worker would not route it, the proxy page could not fetch it), or
 * - a rule covers the token, revocation, introspection, PAR or device endpoint, or the userinfo
 *   endpoint with another credential than the access token: a credential would go where it does
 *   not belong, or an OP request would be taken for an API call. Paths are compared as OPs route
 *   them: `/TOKEN` and `/token/` are the token endpoint;
 * - a declared pass-through path (`opPassThrough`) covers any endpoint of the discovery document
 *   (or its own URL): requests there must never leave the page as the page made them.
 *
 * @example
 * ```ts
 * checkOpEndpoints(config, { issuer: 'https://op.example.com', token: 'https://op.example.com/token' })
 * ```
 */
export function checkOpEndpoints(
  config: { readonly opOrigins: readonly string[]; readonly rules: readonly NormalizedRule[]; readonly opPassThrough?: readonly PassThroughPath[] },
  endpoints: OpEndpoints,
): void {
  for (const kind of OP_ENDPOINT_KINDS) {
    const value = kind === 'discovery' ? `${endpoints.issuer.replace(/\/$/, '')}/.well-known/openid-configuration` : endpoints[kind];
    if (value === undefined) continue;
    const url = new URL(value);
    (config.opPassThrough ?? []).forEach((entry, index) => {
      if (entry.origin === routeOrigin(url) && baseCovers(entry.base, url.pathname)) {
        throw invalidConfig(`opPassThrough[${index}]`, { why: 'passThroughCoversEndpoint', kind, origin: url.origin, pathname: url.pathname });
      }
    });
  }
  for (const kind of HANDLED) {
    const value = endpoints[kind];
    if (value === undefined) continue;
    const url = new URL(value);
    const origin = routeOrigin(url);
    if (!config.opOrigins.includes(origin)) {
      throw invalidConfig('opOrigins', { why: 'opOriginMissing', origin, kind });
    }
    config.rules.forEach((rule, index) => {
      if (rule.origin !== origin || !baseCovers(rule.base, url.pathname)) return;
      if (kind === 'userinfo' && rule.credential === 'access_token') return;
      throw invalidConfig(`rules[${index}]`, { why: 'ruleCoversEndpoint', kind, origin: url.origin, pathname: url.pathname });
    });
  }
}
