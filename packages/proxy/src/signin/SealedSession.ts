import { startSessionWatch, type GrantState, type SessionWatch } from '@tokenvault/oidc';
import { toVaultError, VaultError, type SessionUnwatchableReason } from '@tokenvault/protocol';
import type { UseStore } from 'idb-keyval';
import { SILENT_CALLBACK_PATH } from './AuthorizationFlow.js';
import { sessionStateStore } from '../shared/stores.js';
import { readSessionState, saveSessionState } from './sessionState.js';
import type { Notify } from '../shared/VaultEvent.js';
import type { VaultProxy } from '../routing/VaultProxy.js';

/** How soon a keep-alive refresh that could not reach the OP is tried again. */
const KEEP_ALIVE_RETRY_MS = 30_000;

/**
 * Sealed mode: OpenID Connect Session Management runs in the proxy frame, because `session_state`
 * is bound to the origin of the redirect URI, now the proxy's. The loop is the OIDC core's
 * (SessionWatch of @tokenvault/oidc, the same as drop-in's SessionMonitor): the OP's
 * check_session_iframe is a frame of the proxy frame; a `changed` answer leads to a `prompt=none`
 * renewal in another child frame, which comes back to the proxy's /silent-callback (same origin:
 * the frame reads its URL). The renewed code is redeemed here and its tokens kept only once the
 * core checked its ID token (issuer, audience, azp, nonce, expiry, the same user); then every
 * page of this tab is told `renewed`. No session at the OP clears the vault in every tab
 * (`signed-out`, `session-ended`), another user too (`user-changed`): the reason travels with the
 * sign-out (TokenLifecycle.signOut) to the other tabs' proxies and their apps.
 *
 * Where the frames cannot see the OP's cookies (an OP on another site under a browser that blocks
 * or partitions third-party cookies), the monitor tells that apart from a sign-out (it asks the OP
 * about the grant with a refresh) and stops: every tab is told `session-unwatchable`, the tokens
 * stay. From then on, and when the watch is turned off (`sessionWatch: 'off'`), the vault refreshes
 * the tokens as they expire, so that the OP's refusal of the refresh token (`invalid_grant`) tells
 * it of a sign-out at the OP within one access-token lifetime, API calls or not.
 *
 * @see https://openid.net/specs/openid-connect-session-1_0.html
 */
export class SealedSession {
  readonly #proxy: VaultProxy;
  readonly #notify: Notify;
  readonly #db: UseStore;
  readonly #watching: boolean;
  #watch: SessionWatch | null = null;
  #abort = new AbortController();
  #keepAlive: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(proxy: VaultProxy, notify: Notify, options: { db?: UseStore; watch?: boolean } = {}) {
    this.#proxy = proxy;
    this.#notify = notify;
    this.#db = options.db ?? sessionStateStore();
    this.#watching = options.watch ?? true;
  }

  /** (Re)starts monitoring the session of the stored sign-in, if there is one. */
  async start(): Promise<void> {
    const generation = ++this.#generation;
    this.#halt();
    const [sessionState, idToken] = await Promise.all([readSessionState(this.#db).catch(() => undefined), this.#proxy.idToken().catch(() => null)]);
    if (generation !== this.#generation || !idToken) return;
    if (!this.#watching || !sessionState) {
      this.#scheduleKeepAlive(generation);
      return;
    }
    const proxy = this.#proxy;
    // How often to ask and how long to wait: the configuration's sessionCheck (defaults filled in).
    const { issuer, clientId, scope, sessionCheck } = proxy.config;
    const signal = this.#abort.signal;
    const redirectUri = `${location.origin}${SILENT_CALLBACK_PATH}`;
    try {
      const metadata = await proxy.metadata();
      if (!metadata.check_session_iframe || !metadata.authorization_endpoint) {
        throw new VaultError('TV_SESSION_CHECK_FAILED', { why: 'noCheckSessionIframe' });
      }
      const watch = await startSessionWatch(
        {
          issuer,
          issRequired: metadata.authorization_response_iss_parameter_supported === true,
          clientId,
          sessionState,
          idToken,
          intervalMs: sessionCheck.intervalMs,
          timeoutMs: sessionCheck.timeoutMs,
          checkSessionIframe: metadata.check_session_iframe,
          authorizationEndpoint: metadata.authorization_endpoint,
          redirectUri,
          scope,
          // The renewal's code, redeemed by the proxy itself (sealed mode takes no code from the app),
          // with the DPoP key of the tokens it renews (none for bearer tokens). Kept by the core's
          // `keep` only after the ID token passed its checks; revoked (`discard`) when not kept.
          redeem: async (code, codeVerifier) => {
            const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier, client_id: clientId });
            const { json, keep, discard } = await proxy.exchangeCode(form, await proxy.dpopKey());
            return { idToken: json.id_token, keep, discard };
          },
          grant: () => this.#grant(),
        },
        {
          renewed: async ({ sessionState: renewed }) => {
            await saveSessionState(renewed, this.#db).catch(() => {});
            if (generation === this.#generation) this.#notify('renewed', {});
          },
          // Clears the vault in every tab, with the reason the watch decided; nothing when this tab
          // has heard a sign-out since (stop()) or finds the vault empty (endSession): one
          // `signed-out` per sign-out, whichever tab's watch saw it first.
          signedOut: ({ reason }) => {
            if (generation === this.#generation) void proxy.endSession(reason).catch(() => {});
          },
          unwatchable: ({ reason }) => {
            this.#unwatchable(generation, reason);
          },
          error: (error) => {
            this.#stopped(generation, error);
          },
        },
        signal,
      );
      // A newer start() (another sign-in) took over meanwhile: this one's watch is not the tab's.
      if (generation === this.#generation) this.#watch = watch;
      else watch.stop();
    } catch (err) {
      this.#stopped(generation, toVaultError(err, 'TV_SESSION_CHECK_FAILED'));
    }
  }

  /**
   * The watch failed or could not start (an OP without Session Management, a check frame that does
   * not load): no failure of the vault. The pages are told, the tokens stay, and the refresh
   * tells of a sign-out at the OP from now on, as when the watch is off.
   */
  #stopped(generation: number, error: VaultError): void {
    if (generation !== this.#generation) return;
    this.#watch = null;
    this.#notify('error', { error });
    this.#scheduleKeepAlive(generation);
  }

  /**
   * The watch's question to the OP whether the grant holds (a blind frame or a sign-out?): a
   * refresh now. `invalid_grant` (the vault has signed out) is `dead`; no answer says nothing.
   */
  async #grant(): Promise<GrantState> {
    try {
      await this.#proxy.refreshNow();
      return 'alive';
    } catch (err) {
      const { code } = toVaultError(err);
      if (code === 'TV_REFRESH_FAILED' || code === 'TV_NOT_SIGNED_IN') return 'dead';
      throw err;
    }
  }

  #halt(): void {
    this.#abort.abort();
    this.#abort = new AbortController();
    this.#watch?.stop();
    this.#watch = null;
    clearTimeout(this.#keepAlive);
  }

  /** After a sign-out: stop and forget the session. */
  async stop(): Promise<void> {
    ++this.#generation;
    this.#halt();
    await saveSessionState(null, this.#db).catch(() => {});
  }

  #unwatchable(generation: number, reason: SessionUnwatchableReason): void {
    if (generation !== this.#generation) return;
    this.#watch = null;
    this.#notify('session-unwatchable', { reason });
    this.#scheduleKeepAlive(generation);
  }

  /**
   * Without a watch, the refresh is how a sign-out at the OP is learned: one when the access token
   * is about to expire (refreshSkewSeconds before), whether or not the app calls an API. Every tab
   * schedules its own; the cross-tab lock makes one of them refresh, the others find fresh tokens.
   */
  #scheduleKeepAlive(generation: number): void {
    clearTimeout(this.#keepAlive);
    void this.#proxy.status().then(
      ({ expiresAt }) => {
        if (generation !== this.#generation || expiresAt === null) return;
        const due = expiresAt - this.#proxy.config.refreshSkewSeconds * 1000 - Date.now();
        this.#keepAlive = setTimeout(() => void this.#keepAliveNow(generation), Math.max(due, 1000));
      },
      () => {},
    );
  }

  async #keepAliveNow(generation: number): Promise<void> {
    if (generation !== this.#generation) return;
    try {
      // A refusal signs the vault out (`refresh-failed`): stop() then ends this loop.
      await this.#proxy.refreshIfExpiring();
    } catch {
      if (generation === this.#generation) this.#keepAlive = setTimeout(() => void this.#keepAliveNow(generation), KEEP_ALIVE_RETRY_MS);
      return;
    }
    this.#scheduleKeepAlive(generation);
  }
}
