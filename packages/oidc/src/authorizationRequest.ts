import { pkceChallenge, randomToken } from '@tokenvault/protocol';

/** The secrets of one authorization request, made fresh for it and kept by whoever sent it. */
export interface AuthorizationSecrets {
  /** CSRF protection: the response must carry it back. */
  state: string;
  /** Binds the ID token to this request. */
  nonce: string;
  /** The PKCE verifier; the request carries its S256 challenge. */
  codeVerifier: string;
}

/** An authorization request (Authorization Code, PKCE S256, response in the query). */
export interface AuthorizationRequest extends AuthorizationSecrets {
  /** The OP's authorization endpoint. */
  authorizationEndpoint: string;
  /** The OAuth client. */
  clientId: string;
  /** Where the OP sends the response. */
  redirectUri: string;
  /** The scope, with `openid`. */
  scope: string;
  /** OpenID Connect `prompt`. */
  prompt?: 'none' | 'login' | 'consent' | 'select_account';
  /** OpenID Connect `login_hint`. */
  loginHint?: string;
  /** OpenID Connect `id_token_hint`: the OP answers only for this token's user. */
  idTokenHint?: string;
  /** More parameters (DPoP's `dpop_jkt`). */
  extra?: Record<string, string>;
}

/**
 * A fresh state, nonce and PKCE verifier (32 random bytes each, base64url).
 *
 * @example
 * ```ts
 * const secrets = authorizationSecrets()
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function authorizationSecrets(): AuthorizationSecrets {
  return { state: randomToken(), nonce: randomToken(), codeVerifier: randomToken() };
}

/**
 * THE builder of the kit's authorization requests, the sign-in's and a session watch's
 * `prompt=none` renewal's: Authorization Code with PKCE S256, state and nonce, the response in
 * the query. A parameter the kit adds later goes here.
 *
 * @example
 * ```ts
 * const url = await authorizationUrl({ authorizationEndpoint, clientId: 'spa', redirectUri, scope: 'openid', ...authorizationSecrets(), prompt: 'none' })
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */
export async function authorizationUrl(request: AuthorizationRequest): Promise<URL> {
  const url = new URL(request.authorizationEndpoint);
  const params: Record<string, string> = {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    response_mode: 'query',
    scope: request.scope,
    code_challenge: await pkceChallenge(request.codeVerifier),
    code_challenge_method: 'S256',
    state: request.state,
    nonce: request.nonce,
    ...(request.prompt ? { prompt: request.prompt } : {}),
    ...(request.loginHint ? { login_hint: request.loginHint } : {}),
    ...(request.idTokenHint ? { id_token_hint: request.idTokenHint } : {}),
    ...request.extra,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}
