import { VaultError } from './errors.js';
import { dev } from './dev.js';

/**
 * The OP endpoints the vault tells apart. Each is named after its discovery field without the
 * `_endpoint` suffix (`pushed_authorization_request` is `pushed_authorization_request_endpoint`).
 */
export type OpEndpointKind =
  | 'token'
  | 'revocation'
  | 'introspection'
  | 'userinfo'
  | 'pushed_authorization_request'
  | 'device_authorization'
  | 'end_session'
  | 'jwks'
  | 'discovery';

/** The discovery field of each endpoint kind, in the order a request is matched against them. */
export const OP_ENDPOINT_FIELDS: Readonly<Record<OpEndpointKind, string>> = {
  token: 'token_endpoint',
  revocation: 'revocation_endpoint',
  introspection: 'introspection_endpoint',
  userinfo: 'userinfo_endpoint',
  pushed_authorization_request: 'pushed_authorization_request_endpoint',
  device_authorization: 'device_authorization_endpoint',
  end_session: 'end_session_endpoint',
  // The public documents a client library reads before it has a token; the vault fetches them for
  // the app (no credential), so that the OP's CORS may name the proxy origin alone.
  jwks: 'jwks_uri',
  /** Not a discovery field: the discovery document's own URL, from the issuer. */
  discovery: 'issuer',
};

/** Every endpoint kind, in matching order. */
export const OP_ENDPOINT_KINDS = Object.keys(OP_ENDPOINT_FIELDS) as readonly OpEndpointKind[];

/**
 * The OP's endpoints as the vault knows them: the issuer and the absolute URL of each endpoint its
 * discovery document names. The proxy sends this in its hello; the worker classifies with it.
 */
export type OpEndpoints = { readonly issuer: string; readonly token: string } & { readonly [K in Exclude<OpEndpointKind, 'token'>]?: string };

function endpointUrl(value: unknown, name: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new VaultError('TV_INVALID_CONFIG', dev ? `The OP's discovery document has no valid ${name}` : name);
  }
  const url = new URL(value);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new VaultError('TV_INVALID_CONFIG', dev ? `The OP's discovery document has no valid ${name} (an http(s) URL without credentials or fragment)` : name);
  }
  return value;
}

/**
 * The endpoints of an OP's discovery document (already checked to name the configured issuer).
 * Throws `TV_INVALID_CONFIG` when `token_endpoint` is missing or any endpoint is not an http(s) URL.
 *
 * @example
 * ```ts
 * opEndpointsFrom({ issuer: 'https://op.example.com', token_endpoint: 'https://op.example.com/token' })
 * // { issuer: 'https://op.example.com', token: 'https://op.example.com/token' }
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function opEndpointsFrom(doc: Readonly<Record<string, unknown>>): OpEndpoints {
  const issuer = doc.issuer;
  if (typeof issuer !== 'string' || !URL.canParse(issuer)) throw new VaultError('TV_INVALID_CONFIG', dev ? "The OP's discovery document has no valid issuer" : 'issuer');
  const out: Record<string, string> = { issuer };
  for (const kind of OP_ENDPOINT_KINDS) {
    const value =
      kind === 'discovery' ? `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration` : endpointUrl(doc[OP_ENDPOINT_FIELDS[kind]], OP_ENDPOINT_FIELDS[kind], kind === 'token');
    if (value !== undefined) out[kind] = value;
  }
  return out as OpEndpoints;
}

/**
 * True when `value` has the shape of {@link OpEndpoints} (the worker's check of the proxy's hello).
 */
export function isOpEndpoints(value: unknown): value is OpEndpoints {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.issuer !== 'string' || typeof record.token !== 'string') return false;
  return Object.entries(record).every(([key, url]) => (key === 'issuer' || (OP_ENDPOINT_KINDS as readonly string[]).includes(key)) && typeof url === 'string' && URL.canParse(url));
}
