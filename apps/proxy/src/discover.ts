import { dev, VaultError, opEndpointsFrom, type OpEndpoints } from '@tokenvault/protocol';
import { upstreamFetch } from './upstream.js';

/** The parts of the OP's discovery document the proxy uses. */
export interface ProviderMetadata {
  issuer: string;
  token_endpoint: string;
  /** Sealed mode builds its authorization requests on it. */
  authorization_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  check_session_iframe?: string;
  /** Every endpoint the vault tells apart (classifyOpRequest), as the worker gets them in the hello. */
  endpoints: OpEndpoints;
}

function endpoint(doc: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = doc[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new VaultError('TV_INVALID_CONFIG', dev ? `The OP's discovery document has no valid ${name}` : '');
  }
  return value;
}

/**
 * Fetches and checks the OP's discovery document: its issuer must be exactly the configured one.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export async function discover(issuer: string, timeoutMs: number): Promise<ProviderMetadata> {
  const response = await upstreamFetch(`${issuer}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } }, timeoutMs);
  if (!response.ok) throw new VaultError('TV_UPSTREAM_UNREACHABLE', dev ? `The OP's discovery document answered ${response.status}` : '');
  let doc: unknown;
  try {
    doc = await response.json();
  } catch (cause) {
    throw new VaultError('TV_INVALID_CONFIG', dev ? "The OP's discovery document is not JSON" : '', { cause });
  }
  if (typeof doc !== 'object' || doc === null) throw new VaultError('TV_INVALID_CONFIG', dev ? "The OP's discovery document is not a JSON object" : '');
  const record = doc as Record<string, unknown>;
  if (record.issuer !== issuer) {
    throw new VaultError('TV_INVALID_CONFIG', dev ? `The OP's discovery document names issuer ${JSON.stringify(record.issuer)}, not the configured ${issuer}` : '');
  }
  const metadata: ProviderMetadata = { issuer, token_endpoint: endpoint(record, 'token_endpoint', true)!, endpoints: opEndpointsFrom(record) };
  for (const name of ['authorization_endpoint', 'revocation_endpoint', 'end_session_endpoint', 'check_session_iframe'] as const) {
    const value = endpoint(record, name, false);
    if (value !== undefined) metadata[name] = value;
  }
  return metadata;
}
