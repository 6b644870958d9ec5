import { VaultError } from '@tokenvault/protocol';
import { isScope, type ResolvedProxyConfig } from '@tokenvault/config';
import { authorizationSecrets, authorizationUrl as oidcAuthorizationUrl, checkIdToken, jwtPayload, readAuthorizationResponse } from '@tokenvault/oidc';
import type { ProviderMetadata } from '../network/discover.js';
import { DpopKey } from '../dpop/DpopKey.js';
import { saveSessionState } from './sessionState.js';
import type { VaultProxy } from '../routing/VaultProxy.js';

/** How long an authorization request may take, from the start to the callback. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

/** Where the OP sends the authorization responses: pages of the proxy origin. */
export const CALLBACK_PATH = '/callback';
export const SILENT_CALLBACK_PATH = '/silent-callback';

/** What the app may choose about a sign-in. None of it says where the result goes: that is the proxy's. */
export interface SignInHints {
  prompt?: 'none' | 'login' | 'consent' | 'select_account';
  loginHint?: string;
  scope?: string;
}

/** A sign-in under way: generated in the proxy origin and kept there only (memory or its sessionStorage). */
export interface PendingSignIn {
  state: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
  scope: string;
  createdAt: number;
  /** Redirect flow: where the browser goes back to (checked against the app origins). */
  returnTo?: string;
  /** Popup flow: the flow id the app was given; the sign-in's outcome names it (PopupSignIn). */
  flow?: string;
}

/**
 * Checks what the app chose about a sign-in: a known prompt, a printable login hint, a scope with
 * `openid`. Throws `TV_INVALID_ARGUMENT`.
 */
export function checkHints(hints: SignInHints): SignInHints {
  const { prompt, loginHint, scope } = hints;
  if (prompt !== undefined && !['none', 'login', 'consent', 'select_account'].includes(prompt)) throw new VaultError('TV_INVALID_ARGUMENT', { why: 'signInPrompt' });
  // eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job: a hint must be printable
  if (loginHint !== undefined && (typeof loginHint !== 'string' || loginHint === '' || loginHint.length > 256 || /[\x00-\x1f\x7f]/.test(loginHint))) {
    throw new VaultError('TV_INVALID_ARGUMENT', { why: 'signInLoginHint' });
  }
  if (scope !== undefined && !isScope(scope)) throw new VaultError('TV_INVALID_ARGUMENT', { why: 'signInScope' });
  return hints;
}

/**
 * Where the browser goes back to after a redirect sign-in: a page of a configured app origin,
 * nothing else (no open redirect). A path is taken on the first app origin. Throws `TV_RETURN_TO_REJECTED`.
 *
 * @example
 * ```ts
 * checkReturnTo('/inbox', config)              // 'https://app.example.com/inbox'
 * checkReturnTo('//evil.example.net/', config) // throws TV_RETURN_TO_REJECTED
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.11 (open redirectors)
 */
export function checkReturnTo(value: string | null | undefined, config: Pick<ResolvedProxyConfig, 'appOrigins'>): string {
  const first = config.appOrigins[0];
  if (value === null || value === undefined || value === '') return `${first}/`;
  let url: URL;
  try {
    // A path such as /inbox is taken on the first app origin; "//evil" and "\\evil" resolve to another origin and are refused below.
    url = new URL(value, `${first}/`);
  } catch (cause) {
    throw new VaultError('TV_RETURN_TO_REJECTED', { why: 'returnToNotUrl' }, { cause });
  }
  if (!config.appOrigins.includes(url.origin) || url.username || url.password) {
    throw new VaultError('TV_RETURN_TO_REJECTED', { why: 'returnToOrigin', origins: config.appOrigins.join(', ') });
  }
  return url.href;
}

/** A new sign-in: fresh verifier, state and nonce, made here in the proxy origin. */
export function newPendingSignIn(config: ResolvedProxyConfig, redirectUri: string, hints: SignInHints, returnTo?: string): PendingSignIn {
  const { state, nonce, codeVerifier } = authorizationSecrets();
  return {
    state,
    verifier: codeVerifier,
    nonce,
    redirectUri,
    scope: hints.scope ?? config.scope,
    createdAt: Date.now(),
    ...(returnTo !== undefined ? { returnTo } : {}),
  };
}

/**
 * THE place where the authorization request's parameters are built (Authorization Code + PKCE
 * S256, state, nonce). A parameter the proxy adds later (DPoP's `dpop_jkt`) goes here.
 *
 * @example
 * ```ts
 * const pending = newPendingSignIn(config, `${location.origin}/callback`, hints)
 * location.replace(await authorizationUrl(await proxy.metadata(), config, pending, hints))
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */
export async function authorizationUrl(
  metadata: ProviderMetadata,
  config: ResolvedProxyConfig,
  pending: PendingSignIn,
  hints: SignInHints,
  extra: Record<string, string> = {},
): Promise<string> {
  if (!metadata.authorization_endpoint) throw new VaultError('TV_INVALID_CONFIG', { why: 'noAuthorizationEndpoint' });
  // The request itself is the OIDC core's (the same builder as the session watch's renewal).
  const url = await oidcAuthorizationUrl({
    authorizationEndpoint: metadata.authorization_endpoint,
    clientId: config.clientId,
    redirectUri: pending.redirectUri,
    scope: pending.scope,
    state: pending.state,
    nonce: pending.nonce,
    codeVerifier: pending.verifier,
    ...(hints.prompt ? { prompt: hints.prompt } : {}),
    ...(hints.loginHint ? { loginHint: hints.loginHint } : {}),
    extra,
  });
  // RFC 8707 §2.1: the grant covers every API the rules name, so that the refresh token can get
  // each one its token later (an OP such as oidc-provider issues none for a resource not granted).
  // `audience` (Auth0) takes one value: sent only when one API is named so.
  for (const api of config.resources.filter((r) => r.param === 'resource')) url.searchParams.append('resource', api.value);
  const audiences = config.resources.filter((r) => r.param === 'audience');
  if (audiences.length === 1 && audiences[0]) url.searchParams.set('audience', audiences[0].value);
  return url.href;
}

const PENDING_KEY = 'dpop-key:pending:';

/**
 * Where a sign-in's DPoP key waits, in the proxy origin's IndexedDB, until its code is redeemed:
 * named with its sign-in's start, so that an abandoned sign-in's key can be told by its age.
 */
function pendingKeyName(pending: Pick<PendingSignIn, 'state' | 'createdAt'>): string {
  return `${PENDING_KEY}${String(pending.createdAt)}:${pending.state}`;
}

/** True for the pending key of a sign-in that can no longer complete (its state expired, SIGN_IN_TTL_MS). */
function abandonedKey(name: string, now = Date.now()): boolean {
  if (!name.startsWith(PENDING_KEY)) return false;
  const createdAt = Number(name.slice(PENDING_KEY.length).split(':')[0]);
  // A name of an older layout (no time in it) is abandoned too.
  return !Number.isFinite(createdAt) || createdAt + SIGN_IN_TTL_MS < now;
}

/**
 * DPoP (RFC 9449 §10): with a rule marked `dpop`, each sign-in gets a new key, made before the
 * authorization request so that its thumbprint, `dpop_jkt`, binds the code to it: the OP refuses
 * the code redeemed with any other key. The key waits in the proxy origin's IndexedDB under the
 * sign-in's state (a CryptoKey cannot go into the redirect flow's sessionStorage) until
 * {@link completeSignIn} takes it. Returns the parameters for {@link authorizationUrl}'s `extra`.
 *
 * @example
 * ```ts
 * const url = await authorizationUrl(metadata, config, pending, hints, await dpopParameters(proxy, pending))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-10
 */
export async function dpopParameters(proxy: Pick<VaultProxy, 'wantsDpop'>, pending: PendingSignIn): Promise<Record<string, string>> {
  if (!proxy.wantsDpop) return {};
  const key = await DpopKey.generate();
  // Each visit to /signin leaves a key until its code comes back; those that never do go here.
  await DpopKey.prune((name) => abandonedKey(name)).catch(() => 0);
  await key.save(undefined, pendingKeyName(pending));
  return { dpop_jkt: await key.thumbprint() };
}

/** The key {@link dpopParameters} made for this sign-in, removed from the store; null when there is none. */
async function takePendingKey(proxy: Pick<VaultProxy, 'wantsDpop'>, pending: PendingSignIn): Promise<DpopKey | null> {
  if (!proxy.wantsDpop) return null;
  const name = pendingKeyName(pending);
  const key = await DpopKey.load(undefined, name).catch(() => null);
  await DpopKey.delete(undefined, name).catch(() => undefined);
  return key;
}

/**
 * Pending sign-ins by state. Taking one removes it, used or not: a state works once. One older
 * than SIGN_IN_TTL_MS counts as unknown.
 *
 * @example
 * ```ts
 * const tab = new PendingSignIns(sessionStorage)
 * tab.add(pending)
 * tab.take(new URLSearchParams(location.search).get('state')) // once; then TV_INVALID_STATE
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12 (CSRF, state)
 */
export class PendingSignIns {
  #read: () => Record<string, PendingSignIn>;
  #write: (all: Record<string, PendingSignIn>) => void;

  /** In memory (the proxy frame, popup flow), or in a Web Storage of the proxy origin (the redirect flow's tab). */
  constructor(storage?: Storage, key = 'tokenvault:pending-sign-ins') {
    if (storage) {
      this.#read = () => {
        try {
          // The stored value may be JSON null (a page of this origin can write anything there).
          return (JSON.parse(storage.getItem(key) ?? '{}') as Record<string, PendingSignIn> | null) ?? {};
        } catch {
          return {};
        }
      };
      this.#write = (all) => {
        if (Object.keys(all).length) storage.setItem(key, JSON.stringify(all));
        else storage.removeItem(key);
      };
    } else {
      let memory: Record<string, PendingSignIn> = {};
      this.#read = () => memory;
      this.#write = (all) => void (memory = all);
    }
  }

  add(pending: PendingSignIn): void {
    const now = Date.now();
    // Only live ones, at most 8: a page that starts sign-ins in a loop cannot fill the storage.
    const live = Object.values(this.#read())
      .filter((p) => now - p.createdAt < SIGN_IN_TTL_MS)
      .slice(-7);
    this.#write(Object.fromEntries([...live, pending].map((p) => [p.state, p])));
  }

  /** Forgets the pending sign-in of `state`, if there is one (a sign-in superseded by a newer one). */
  drop(state: string): void {
    const { [state]: _, ...rest } = this.#read();
    this.#write(rest);
  }

  /** The pending sign-in of `state`, without taking it. */
  peek(state: string | null): PendingSignIn | undefined {
    const all = this.#read();
    return state !== null && Object.hasOwn(all, state) ? all[state] : undefined;
  }

  /** Whether a state is pending here, without taking it. */
  has(state: string | null): boolean {
    return state !== null && Object.hasOwn(this.#read(), state);
  }

  /** Removes and returns the pending sign-in of `state`. Throws `TV_INVALID_STATE` when it is unknown, used or expired. */
  take(state: string | null): PendingSignIn {
    const all = this.#read();
    const pending = state !== null && Object.hasOwn(all, state) ? all[state] : undefined;
    if (state !== null && pending) {
      const { [state]: _, ...rest } = all;
      this.#write(rest);
    }
    if (!pending) throw new VaultError('TV_INVALID_STATE', { why: 'stateUnknown' });
    if (Date.now() - pending.createdAt >= SIGN_IN_TTL_MS) throw new VaultError('TV_INVALID_STATE', { why: 'stateExpired' });
    return pending;
  }
}

/** The claims of an ID token (read, not verified: see jwtPayload). Throws `TV_SIGN_IN_FAILED` for anything else. */
function idTokenClaims(jwt: unknown): Record<string, unknown> {
  const claims = jwtPayload(jwt);
  if (!claims) throw new VaultError('TV_SIGN_IN_FAILED', { why: 'idTokenNotJwt' });
  return claims;
}

// Claims that bind the ID token to this sign-in or to the OP session: the app has no use for
// them, and the sealed rule is that nothing of the flow (the nonce) reaches it.
const FLOW_CLAIMS = new Set(['nonce', 'at_hash', 'c_hash', 's_hash', 'sid']);

/** What the app is told about the user (`vault.user()`): the ID token's claims without those of the flow. */
export function userClaims(jwt: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(idTokenClaims(jwt)).filter(([name]) => !FLOW_CLAIMS.has(name)));
}

/**
 * Completes a sign-in: checks the authorization response (state taken already, issuer, error,
 * code), redeems the code with the pending verifier, checks the ID token (issuer, audience, nonce)
 * and only then stores the tokens. Throws `TV_SIGN_IN_FAILED`; nothing is stored then.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowSteps
 * @see https://www.rfc-editor.org/rfc/rfc9207 (iss in the authorization response)
 */
export async function completeSignIn(
  proxy: VaultProxy,
  pending: PendingSignIn,
  response: URLSearchParams,
  event: 'signed-in' | 'renewed' = 'signed-in',
): Promise<{ sessionState: string | null }> {
  const { issuer, clientId } = proxy.config;
  // Issuer first (RFC 9207: required where the OP advertises it), then the OP's error or the code.
  const issRequired = (await proxy.metadata()).authorization_response_iss_parameter_supported === true;
  const answer = readAuthorizationResponse(response, { issuer, issRequired }, 'TV_SIGN_IN_FAILED');
  if ('error' in answer) throw new VaultError('TV_SIGN_IN_FAILED', { why: 'opAnsweredError', error: answer.error });
  const { code, sessionState } = answer;
  // Before the tokens: the session monitor that starts on `signed-in` reads it.
  await saveSessionState(sessionState).catch(() => {});
  // The key the authorization request named in dpop_jkt: the OP binds the code to it.
  const key = await takePendingKey(proxy, pending);
  const params = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    code_verifier: pending.verifier,
    client_id: clientId,
  });
  await proxy.redeemCode(
    params,
    (json) => {
      // Before anything is stored (redeemCode keeps the tokens only after this returns).
      checkIdToken(json.id_token, { issuer, clientId, nonce: pending.nonce }, 'TV_SIGN_IN_FAILED');
    },
    event,
    key,
    pending.scope,
    pending.flow,
  );
  return { sessionState };
}
