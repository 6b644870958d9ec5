import { VaultError } from '@tokenvault/protocol';

/** What the session monitor needs from the OP's discovery document. */
export interface SessionEndpoints {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  check_session_iframe: string;
}

/**
 * Fetches the OP's discovery document (a public document, fetched by the page) and checks that its
 * issuer is exactly `issuer` and that it has the endpoints Session Management needs.
 * @see https://openid.net/specs/openid-connect-session-1_0.html#OPMetadata
 */
export async function sessionEndpoints(issuer: string, timeoutMs: number): Promise<SessionEndpoints> {
  let doc: Record<string, unknown>;
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    doc = (await response.json()) as Record<string, unknown>;
  } catch (cause) {
    throw new VaultError('TV_SESSION_CHECK_FAILED', `The OP's discovery document at ${issuer} could not be read`, { cause });
  }
  if (typeof doc !== 'object' || doc === null || doc.issuer !== issuer) {
    throw new VaultError('TV_SESSION_CHECK_FAILED', `The OP's discovery document does not name the issuer ${issuer}`);
  }
  for (const name of ['authorization_endpoint', 'token_endpoint', 'check_session_iframe'] as const) {
    const value = doc[name];
    if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      throw new VaultError(
        'TV_SESSION_CHECK_FAILED',
        name === 'check_session_iframe' ? 'The OP does not offer Session Management (no check_session_iframe in its discovery document)' : `The OP's discovery document has no valid ${name}`,
      );
    }
  }
  return doc as unknown as SessionEndpoints;
}
