// TEMPORARY: the minimal OP-endpoint routing issue 14 needs until the shared classifier of issue 13
// ("OP endpoints:") lands; replace this file's users with it then.

/** The OP endpoints the vault handles, as URLs from the OP's discovery document. */
export interface OpEndpoints {
  issuer: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  end_session_endpoint?: string;
}

/** Which OP endpoint a request goes to; `discovery` is the issuer's openid-configuration. */
export type OpEndpointName = 'token' | 'revocation' | 'introspection' | 'userinfo' | 'jwks' | 'discovery';

const same = (url: URL, endpoint: string | undefined): boolean => {
  if (endpoint === undefined) return false;
  const target = new URL(endpoint);
  return url.origin === target.origin && url.pathname === target.pathname && url.search === target.search;
};

/**
 * Which OP endpoint `url` is, or null.
 *
 * @example
 * ```ts
 * opEndpointOf(new URL('https://op.example.com/token'), metadata) // 'token'
 * ```
 */
export function opEndpointOf(url: URL, endpoints: OpEndpoints): OpEndpointName | null {
  if (same(url, endpoints.token_endpoint)) return 'token';
  if (same(url, endpoints.revocation_endpoint)) return 'revocation';
  if (same(url, endpoints.introspection_endpoint)) return 'introspection';
  if (same(url, endpoints.userinfo_endpoint)) return 'userinfo';
  if (same(url, endpoints.jwks_uri)) return 'jwks';
  if (same(url, `${endpoints.issuer}/.well-known/openid-configuration`)) return 'discovery';
  return null;
}

/** The endpoints of a discovery document the hello carries to the worker and the page. */
export function helloEndpoints(metadata: OpEndpoints): OpEndpoints {
  const out: OpEndpoints = { issuer: metadata.issuer, token_endpoint: metadata.token_endpoint };
  for (const name of ['revocation_endpoint', 'introspection_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint'] as const) {
    const value = metadata[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
