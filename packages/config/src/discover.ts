// The OP's discovery document, fetched and checked: one fetcher for every part of the kit that needs
// it. The proxy fetches it from its own origin (its upstream fetch: no cookies, no redirects) for the
// endpoints it serves and classifies; the app page's session monitor fetches it for the endpoints of
// OpenID Connect Session Management.
import { OP_ENDPOINT_FIELDS, OP_ENDPOINT_KINDS, VaultError, type OpEndpoints } from '@tokenvault/protocol';

/** The parts of the OP's discovery document the kit uses. */
export interface ProviderMetadata {
  /** The issuer identifier (exactly the configured one). */
  issuer: string;
  /** The token endpoint. */
  token_endpoint: string;
  /** Sealed mode and the session monitor build their authorization requests on it. */
  authorization_endpoint?: string;
  /** The revocation endpoint (RFC 7009), when the OP has one. */
  revocation_endpoint?: string;
  /** RP-initiated logout, when the OP offers it. */
  end_session_endpoint?: string;
  /** OpenID Connect Session Management's OP frame. */
  check_session_iframe?: string;
  /** Every endpoint the vault tells apart (classifyOpRequest), as the worker gets them in the hello. */
  endpoints: OpEndpoints;
  /** RFC 9207: the OP puts `iss` in every authorization response; one without it is then refused. */
  authorization_response_iss_parameter_supported?: boolean;
}

/**
 * How {@link discover} fetches the document: a GET of `url` that gives up after `timeoutMs`. The
 * proxy passes its upstream fetch; the default is the page's fetch, without credentials.
 */
export type FetchDocument = (url: string, timeoutMs: number) => Promise<Response>;

const fetchWithoutCredentials: FetchDocument = (url, timeoutMs) =>
  fetch(url, { headers: { accept: 'application/json' }, credentials: 'omit', signal: AbortSignal.timeout(timeoutMs) });

function endpointUrl(value: unknown, name: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'discoveryField', name });
  }
  const url = new URL(value);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'discoveryUrl', name });
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
  if (typeof issuer !== 'string' || !URL.canParse(issuer)) throw new VaultError('TV_INVALID_CONFIG', { why: 'discoveryIssuer' });
  const out: Record<string, string> = { issuer };
  for (const kind of OP_ENDPOINT_KINDS) {
    const value =
      kind === 'discovery'
        ? `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
        : endpointUrl(doc[OP_ENDPOINT_FIELDS[kind]], OP_ENDPOINT_FIELDS[kind], kind === 'token');
    if (value !== undefined) out[kind] = value;
  }
  return out as OpEndpoints;
}

/**
 * Fetches the OP's discovery document and checks it: its issuer must be exactly `issuer`, and every
 * endpoint it names an http(s) URL without credentials or fragment (`token_endpoint` is required).
 * Fails with `TV_UPSTREAM_UNREACHABLE` (or the fetch's own `TV_UPSTREAM_*` code) when the document
 * cannot be fetched, and `TV_INVALID_CONFIG` when it is not a valid document for this issuer.
 *
 * @example
 * ```ts
 * const { endpoints, check_session_iframe } = await discover('https://op.example.com', 10_000)
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export async function discover(issuer: string, timeoutMs: number, fetchDocument: FetchDocument = fetchWithoutCredentials): Promise<ProviderMetadata> {
  let response: Response;
  try {
    response = await fetchDocument(`${issuer}/.well-known/openid-configuration`, timeoutMs);
  } catch (cause) {
    throw cause instanceof VaultError ? cause : new VaultError('TV_UPSTREAM_UNREACHABLE', { why: 'discoveryUnreachable', issuer }, { cause });
  }
  if (!response.ok) throw new VaultError('TV_UPSTREAM_UNREACHABLE', { why: 'discoveryStatus', status: response.status });
  let doc: unknown;
  try {
    doc = await response.json();
  } catch (cause) {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'discoveryNotJson' }, { cause });
  }
  if (typeof doc !== 'object' || doc === null) throw new VaultError('TV_INVALID_CONFIG', { why: 'discoveryNotObject' });
  const record = doc as Record<string, unknown>;
  if (record.issuer !== issuer) {
    throw new VaultError('TV_INVALID_CONFIG', { why: 'discoveryOtherIssuer', named: String(record.issuer), issuer });
  }
  const endpoints = opEndpointsFrom(record);
  const metadata: ProviderMetadata = { issuer, token_endpoint: endpoints.token, endpoints };
  for (const name of ['authorization_endpoint', 'revocation_endpoint', 'end_session_endpoint', 'check_session_iframe'] as const) {
    const value = endpointUrl(record[name], name, false);
    if (value !== undefined) metadata[name] = value;
  }
  if (record.authorization_response_iss_parameter_supported === true) metadata.authorization_response_iss_parameter_supported = true;
  return metadata;
}
