import { SessionMonitor } from '@tokenvault/client';
import { toVaultError, type SessionUnwatchableReason } from '@tokenvault/protocol';
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { SILENT_CALLBACK_PATH } from './AuthorizationFlow.js';
import type { VaultEvent, VaultEventDetail } from './VaultEvent.js';
import type { CodeExchange } from './redeemCode.js';
import type { VaultProxy } from './VaultProxy.js';

const KEY = 'session-state';

/** Where the proxy keeps the `session_state` of its last sign-in (proxy origin, IndexedDB). */
export function sessionStateStore(): UseStore {
  return createStore('tokenvault-session', 'session');
}

/** Keeps the `session_state` of a sealed sign-in, for the session monitor of every proxy frame. */
export async function saveSessionState(value: string | null, db: UseStore = sessionStateStore()): Promise<void> {
  if (value === null) await del(KEY, db);
  else await set(KEY, value, db);
}

/** How soon a keep-alive refresh that could not reach the OP is tried again. */
const KEEP_ALIVE_RETRY_MS = 30_000;

/**
 * Sealed mode: OpenID Connect Session Management runs in the proxy frame, because `session_state`
 * is bound to the origin of the redirect URI, now the proxy's. The OP's check_session_iframe is a
 * frame of the proxy frame; a `changed` answer leads to a `prompt=none` renewal in another child
 * frame, which comes back to the proxy's /silent-callback (same origin: the frame reads its URL).
 * The renewed code is redeemed here, the app is told `renewed`; no session at the OP clears the
 * vault (`signed-out`, `session-ended`), another user too (`user-changed`).
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
  readonly #notify: (name: VaultEvent, detail: VaultEventDetail) => void;
  readonly #db: UseStore;
  readonly #intervalMs: number;
  readonly #watch: boolean;
  #monitor: SessionMonitor | null = null;
  #keepAlive: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(proxy: VaultProxy, notify: (name: VaultEvent, detail: VaultEventDetail) => void, options: { db?: UseStore; intervalMs?: number; watch?: boolean } = {}) {
    this.#proxy = proxy;
    this.#notify = notify;
    this.#db = options.db ?? sessionStateStore();
    this.#intervalMs = options.intervalMs ?? 3000;
    this.#watch = options.watch ?? true;
  }

  /** (Re)starts monitoring the session of the stored sign-in, if there is one. */
  async start(): Promise<void> {
    const generation = ++this.#generation;
    this.#monitor?.stop();
    this.#monitor = null;
    clearTimeout(this.#keepAlive);
    const [sessionState, idToken] = await Promise.all([get<string>(KEY, this.#db).catch(() => undefined), this.#proxy.idToken().catch(() => null)]);
    if (generation !== this.#generation || !idToken) return;
    if (!this.#watch || !sessionState) {
      this.#scheduleKeepAlive(generation);
      return;
    }
    const proxy = this.#proxy;
    // A renewal's tokens wait here until the monitor has checked its ID token (issuer, audience,
    // nonce, user): only its `renewed` keeps them; a failed check drops them.
    let pending: CodeExchange | null = null;
    const monitor = new SessionMonitor({
      vault: {
        async fetch(_url: RequestInfo | URL, init?: RequestInit): Promise<Response> {
          // The monitor's own calls: its body is the form's URLSearchParams.
          const form = new URLSearchParams(init?.body as URLSearchParams | undefined);
          if (form.get('grant_type') === 'refresh_token') {
            // Its question to the OP whether the grant holds (a blind frame or a sign-out?).
            try {
              await proxy.refreshNow();
              return Response.json({});
            } catch (err) {
              const error = toVaultError(err);
              return Response.json({ error: error.code }, { status: error.code === 'TV_REFRESH_FAILED' || error.code === 'TV_NOT_SIGNED_IN' ? 400 : 502 });
            }
          }
          // The renewal's code, redeemed by the proxy itself (sealed mode takes no code from the app).
          // A renewal keeps the DPoP key of the tokens it renews (none for bearer tokens).
          const exchange = await proxy.exchangeCode(form, await proxy.dpopKey());
          pending = exchange;
          return Response.json({ id_token: exchange.json.id_token });
        },
        // The vault is cleared on the monitor's signedOut event, with the reason it names.
        async logout() {
          return { revocation: 'nothing-to-revoke' as const, revocations: [], storageCleared: true };
        },
      },
      issuer: proxy.config.issuer,
      clientId: proxy.config.clientId,
      sessionState,
      idToken,
      redirectUri: `${location.origin}${SILENT_CALLBACK_PATH}`,
      scope: proxy.config.scope,
      intervalMs: this.#intervalMs,
    });
    this.#monitor = monitor;
    monitor.addEventListener('renewed', (event) => {
      const renewal = pending;
      pending = null;
      void (async () => {
        // Checked by the monitor: now kept, then announced.
        await renewal?.keep();
        await saveSessionState(event.detail.sessionState, this.#db).catch(() => {});
        if (generation === this.#generation) this.#notify('renewed', {});
      })().catch((err: unknown) => {
        this.#notify('error', { error: toVaultError(err) });
      });
    });
    monitor.addEventListener('signedOut', (event) => {
      pending = null;
      void proxy.logout(undefined, event.detail.reason).catch(() => {});
    });
    monitor.addEventListener('unwatchable', (event) => {
      this.#unwatchable(generation, event.detail.reason);
    });
    monitor.addEventListener('error', (event) => {
      pending = null;
      this.#notify('error', { error: event.detail.error });
    });
    await monitor.start().catch((err: unknown) => {
      // Reported through the monitor's error event already; an OP without Session Management is no failure of the vault.
      void toVaultError(err);
    });
  }

  /** After a sign-out: stop and forget the session. */
  async stop(): Promise<void> {
    ++this.#generation;
    this.#monitor?.stop();
    this.#monitor = null;
    clearTimeout(this.#keepAlive);
    await saveSessionState(null, this.#db).catch(() => {});
  }

  #unwatchable(generation: number, reason: SessionUnwatchableReason): void {
    if (generation !== this.#generation) return;
    this.#monitor = null;
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
