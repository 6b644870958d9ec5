import { discover } from '@tokenvault/config';
import { VaultError } from '@tokenvault/protocol';

/** What the session monitor needs from the OP's discovery document. */
export interface SessionEndpoints {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  check_session_iframe: string;
  /** RFC 9207: the OP puts `iss` in every authorization response (a re-check's answer without it is refused). */
  issRequired: boolean;
}

/**
 * Fetches the OP's discovery document (a public document, fetched by the page; checked by `discover`
 * of @tokenvault/config: its issuer is exactly `issuer`) and checks that it has the endpoints
 * Session Management needs. Every failure is `TV_SESSION_CHECK_FAILED`, with the cause.
 * @see https://openid.net/specs/openid-connect-session-1_0.html#OPMetadata
 */
export async function sessionEndpoints(issuer: string, timeoutMs: number): Promise<SessionEndpoints> {
  const metadata = await discover(issuer, timeoutMs).catch((cause: unknown) => {
    const reason = cause instanceof VaultError && cause.message !== cause.code ? `: ${cause.message}` : '';
    throw new VaultError('TV_SESSION_CHECK_FAILED', { why: 'discoveryUnusable', issuer, reason }, { cause });
  });
  const { authorization_endpoint, token_endpoint, check_session_iframe } = metadata;
  if (authorization_endpoint === undefined) throw new VaultError('TV_SESSION_CHECK_FAILED', { why: 'discoveryField', name: 'authorization_endpoint' });
  if (check_session_iframe === undefined) throw new VaultError('TV_SESSION_CHECK_FAILED', { why: 'noCheckSessionIframe' });
  return { issuer, authorization_endpoint, token_endpoint, check_session_iframe, issRequired: metadata.authorization_response_iss_parameter_supported === true };
}
