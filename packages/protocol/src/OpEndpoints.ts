/**
 * The OP endpoints the vault tells apart. Each is named after its discovery field without the
 * `_endpoint` suffix (`pushed_authorization_request` is `pushed_authorization_request_endpoint`).
 */
export type OpEndpointKind = 'token' | 'revocation' | 'introspection' | 'userinfo' | 'pushed_authorization_request' | 'device_authorization' | 'end_session' | 'jwks' | 'discovery';

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

/**
 * Every endpoint kind, in matching order (that of {@link OP_ENDPOINT_FIELDS}, which a unit test
 * holds it to). Written out so that the worker, which needs the kinds and not their fields, does
 * not ship the field names.
 */
export const OP_ENDPOINT_KINDS: readonly OpEndpointKind[] = [
  'token',
  'revocation',
  'introspection',
  'userinfo',
  'pushed_authorization_request',
  'device_authorization',
  'end_session',
  'jwks',
  'discovery',
];

/**
 * The OP's endpoints as the vault knows them: the issuer and the absolute URL of each endpoint its
 * discovery document names. The proxy sends this in its hello; the worker classifies with it.
 */
export type OpEndpoints = {
  /** The OP's issuer identifier, exactly as its discovery document names it. */
  readonly issuer: string;
  /** The token endpoint's URL (`token_endpoint`): required, the vault refuses an OP without one. */
  readonly token: string;
} & { readonly [K in Exclude<OpEndpointKind, 'token'>]?: string };

/**
 * True when `value` has the shape of {@link OpEndpoints} (the worker's check of the proxy's hello).
 */
export function isOpEndpoints(value: unknown): value is OpEndpoints {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.issuer !== 'string' || typeof record.token !== 'string') return false;
  return Object.entries(record).every(([key, url]) => (key === 'issuer' || (OP_ENDPOINT_KINDS as readonly string[]).includes(key)) && typeof url === 'string' && URL.canParse(url));
}
