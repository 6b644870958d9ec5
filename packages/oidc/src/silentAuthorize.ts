import { VaultError } from '@tokenvault/protocol';
import { authorizationSecrets, authorizationUrl } from './authorizationRequest.js';
import { attachFrame, hiddenFrame } from './hiddenFrame.js';

/** What a `prompt=none` request in a hidden frame needs. */
export interface SilentAuthorizeOptions {
  /** The OP's authorization endpoint. */
  authorizationEndpoint: string;
  /** The OAuth client. */
  clientId: string;
  /** A page on this origin, registered at the OP, that runs nothing: the answer is read from its URL. */
  redirectUri: string;
  /** The scope of the renewal, with `openid`. */
  scope: string;
  /** The current ID token: the OP then answers only for the same user (OpenID Connect Core §3.1.2.1). */
  idTokenHint?: string;
  /** How long the OP may take to answer. */
  timeoutMs: number;
  /** Stops the request (the frame is removed; rejects with `TV_SESSION_CHECK_FAILED`). */
  signal: AbortSignal;
}

/** A `prompt=none` request's answer, with the secrets its code is redeemed and its ID token checked with. */
export interface SilentAuthorizeResult {
  /** The authorization response parameters (code or error, session_state, iss, …); state already checked. */
  params: URLSearchParams;
  /** The PKCE verifier of the request. */
  codeVerifier: string;
  /** The nonce of the request: the renewal's ID token must carry it. */
  nonce: string;
}

/**
 * An authorization request with `prompt=none` in a hidden iframe: the OP answers at once, without
 * showing anything, by redirecting the frame to `redirectUri` on this origin, where the answer is
 * read from the frame's URL (same origin, so no message is needed). Authorization Code with PKCE,
 * state and nonce, as a normal sign-in.
 *
 * Rejects with `TV_SESSION_CHECK_FAILED` when no answer arrives in time (the OP showed a page,
 * or refused to be framed) or the state does not match.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export async function silentAuthorize(options: SilentAuthorizeOptions): Promise<SilentAuthorizeResult> {
  const secrets = authorizationSecrets();
  const { state, nonce, codeVerifier } = secrets;
  const url = await authorizationUrl({
    authorizationEndpoint: options.authorizationEndpoint,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    scope: options.scope,
    prompt: 'none',
    ...secrets,
    ...(options.idTokenHint ? { idTokenHint: options.idTokenHint } : {}),
  });
  const redirect = new URL(options.redirectUri);

  const iframe = hiddenFrame(url.href, 'Session check (prompt=none)');

  return new Promise<SilentAuthorizeResult>((resolve, reject) => {
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', abort);
      iframe.remove();
      settle();
    };
    const abort = (): void => {
      finish(() => {
        reject(new VaultError('TV_SESSION_CHECK_FAILED', { why: 'silentStopped' }));
      });
    };
    const timer = setTimeout(() => {
      finish(() => {
        reject(new VaultError('TV_SESSION_CHECK_FAILED', { why: 'silentTimeout', ms: options.timeoutMs }));
      });
    }, options.timeoutMs);
    iframe.addEventListener('load', () => {
      let here: URL;
      try {
        // No window: the frame was removed. Reading another origin's location throws.
        const frameWindow = iframe.contentWindow;
        if (!frameWindow) return;
        here = new URL(frameWindow.location.href);
      } catch {
        return; // Still on the OP (another origin): not answered yet.
      }
      if (here.origin !== redirect.origin || here.pathname !== redirect.pathname) return;
      const answer = new URLSearchParams(here.search);
      if (!answer.has('code') && !answer.has('error')) for (const [name, value] of new URLSearchParams(here.hash.slice(1))) answer.append(name, value);
      if (answer.get('state') !== state) {
        finish(() => {
          reject(new VaultError('TV_SESSION_CHECK_FAILED', { why: 'silentOtherState' }));
        });
        return;
      }
      finish(() => {
        resolve({ params: answer, codeVerifier, nonce });
      });
    });
    if (options.signal.aborted) {
      abort();
      return;
    }
    options.signal.addEventListener('abort', abort);
    attachFrame(iframe);
  });
}
