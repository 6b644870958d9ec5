import { SessionMonitor } from '@tokenvault/client';
import { toVaultError } from '@tokenvault/protocol';
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { SILENT_CALLBACK_PATH } from './AuthorizationFlow.js';
import type { VaultEventDetail, VaultProxy } from './VaultProxy.js';

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

/**
 * Sealed mode: OpenID Connect Session Management runs in the proxy frame, because `session_state`
 * is bound to the origin of the redirect URI, now the proxy's. The OP's check_session_iframe is a
 * frame of the proxy frame; a `changed` answer leads to a `prompt=none` renewal in another child
 * frame, which comes back to the proxy's /silent-callback (same origin: the frame reads its URL).
 * The renewed code is redeemed here, the app is told `renewed`; no session at the OP, or another
 * user, clears the vault (`signed-out` with the reason `session-ended`).
 *
 * @see https://openid.net/specs/openid-connect-session-1_0.html
 */
export class SealedSession {
  readonly #proxy: VaultProxy;
  readonly #notify: (name: 'error', detail: VaultEventDetail) => void;
  readonly #db: UseStore;
  readonly #intervalMs: number;
  #monitor: SessionMonitor | null = null;
  #generation = 0;

  constructor(proxy: VaultProxy, notify: (name: 'error', detail: VaultEventDetail) => void, options: { db?: UseStore; intervalMs?: number } = {}) {
    this.#proxy = proxy;
    this.#notify = notify;
    this.#db = options.db ?? sessionStateStore();
    this.#intervalMs = options.intervalMs ?? 3000;
  }

  /** (Re)starts monitoring the session of the stored sign-in, if there is one. */
  async start(): Promise<void> {
    const generation = ++this.#generation;
    this.#monitor?.stop();
    this.#monitor = null;
    const [sessionState, idToken] = await Promise.all([get<string>(KEY, this.#db).catch(() => undefined), this.#proxy.idToken().catch(() => null)]);
    if (generation !== this.#generation || !sessionState || !idToken) return;
    const proxy = this.#proxy;
    const monitor = new SessionMonitor({
      vault: {
        // The renewal's code, redeemed by the proxy itself (sealed mode takes no code from the app).
        async fetch(_url: RequestInfo | URL, init?: RequestInit): Promise<Response> {
          let idToken: unknown;
          // A renewal keeps the DPoP key of the tokens it renews (none for bearer tokens).
          const key = await proxy.dpopKey();
          // The monitor's own call (redeemRecheck): its body is the form's URLSearchParams.
          await proxy.redeemCode(new URLSearchParams(init?.body as URLSearchParams | undefined), (json) => void (idToken = json.id_token), 'renewed', key);
          return Response.json({ id_token: idToken });
        },
        async logout() {
          return proxy.logout(undefined, 'session-ended');
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
    monitor.addEventListener('renewed', (event) => void saveSessionState(event.detail.sessionState, this.#db).catch(() => {}));
    monitor.addEventListener('error', (event) => {
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
    await saveSessionState(null, this.#db).catch(() => {});
  }
}
