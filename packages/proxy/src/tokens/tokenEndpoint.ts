import { VaultError } from '@tokenvault/protocol';
import type { ResourceIndicator } from '@tokenvault/config';
import type { DpopKey } from '../dpop/DpopKey.js';
import type { TokenLifecycle } from './TokenLifecycle.js';
import { toTokenSet } from './toTokenSet.js';
import type { TokenSet } from './TokenStore.js';

/**
 * The vault's one client of the token endpoint: every grant it sends (a sealed sign-in's code, a
 * drop-in library's code or refresh, the vault's own refresh, one API's token) goes through
 * `askToken`, whose answer has its body read once; what a refusal means is decided here
 * (`grantIsDead`, `refreshRefused`) and nowhere else.
 */

/** A token endpoint's answer with its body read once (RFC 6749 §5.1 and §5.2). */
export interface TokenAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  /** The body as JSON; `undefined` when it is not JSON. */
  readonly json: unknown;
}

/**
 * Reads an answer's body once, as JSON when it is JSON.
 *
 * @example
 * ```ts
 * const answer = await readAnswer(await upstreamFetch(endpoint, init, timeoutMs))
 * ```
 */
export async function readAnswer(response: Response): Promise<TokenAnswer> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  return { status: response.status, statusText: response.statusText, ok: response.ok, json };
}

/**
 * POSTs a grant to the token endpoint, proved with `key` when there is one (TokenLifecycle.post),
 * and reads the answer.
 *
 * @example
 * ```ts
 * const answer = await askToken(tokens, metadata.token_endpoint, refreshGrant(tokens.clientId, current.refreshToken), key)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export async function askToken(tokens: TokenLifecycle, endpoint: string, params: URLSearchParams, key: DpopKey | null): Promise<TokenAnswer> {
  return readAnswer(await tokens.post(endpoint, params, key));
}

/**
 * The refresh grant for `refreshToken`; naming one API (RFC 8707 `resource` or `audience`, and the
 * rule's `scope` beside it: Entra ID v2.0 and Keycloak choose the API by scope) when `api` is given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function refreshGrant(clientId: string, refreshToken: string, api?: ResourceIndicator): URLSearchParams {
  const params = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  if (api) {
    params.set(api.param, api.value);
    if (api.scope !== undefined) params.set('scope', api.scope);
  }
  return params;
}

/** The OP's `error` code in a refusal, or null when the body names none. */
export function oauthError(answer: TokenAnswer): string | null {
  const { json } = answer;
  const code = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).error : undefined;
  return typeof code === 'string' ? code : null;
}

/**
 * True when the refusal says the grant itself is dead: RFC 6749 §5.2's `invalid_grant` (the refresh
 * token expired, was revoked, or was already used). Only that answer costs the user the session;
 * `invalid_request` (a malformed request, perhaps one the app's script sent), `invalid_client`,
 * `unauthorized_client`, a 5xx or a body that is no OAuth error leave the tokens where they are.
 *
 * @example
 * ```ts
 * if (!answer.ok && grantIsDead(answer)) await tokens.signOut('refresh-failed')
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function grantIsDead(answer: TokenAnswer): boolean {
  return (answer.status === 400 || answer.status === 401) && oauthError(answer) === 'invalid_grant';
}

/**
 * The token set in a successful answer (toTokenSet); a body that is not JSON is
 * `TV_INVALID_TOKEN_RESPONSE` with `why`.
 */
export function tokenSetOf(
  answer: TokenAnswer,
  why: 'refreshNotJson' | 'tokenResponseNotJson',
  previous: TokenSet | null,
  proved: boolean,
  requested: string | null = null,
): TokenSet {
  if (answer.json === undefined) throw new VaultError('TV_INVALID_TOKEN_RESPONSE', { why });
  return toTokenSet(answer.json, previous, proved, requested);
}

/**
 * The vault's own refresh was refused: `invalid_grant` signs the vault out (`TV_REFRESH_FAILED`,
 * with `dead`'s reason), a 5xx is `TV_UPSTREAM_UNREACHABLE`, any other refusal is `otherwise` and
 * keeps the tokens.
 *
 * @example
 * ```ts
 * if (!answer.ok) await refreshRefused(tokens, answer, new VaultError('TV_REFRESH_REJECTED', { why: 'refreshRejected', status: answer.status }))
 * ```
 */
export async function refreshRefused(tokens: TokenLifecycle, answer: TokenAnswer, dead: VaultError, otherwise: VaultError): Promise<never> {
  if (grantIsDead(answer)) {
    await tokens.signOut('refresh-failed');
    throw dead;
  }
  if (answer.status >= 500) throw new VaultError('TV_UPSTREAM_UNREACHABLE', { why: 'refreshStatus', status: answer.status });
  throw otherwise;
}
