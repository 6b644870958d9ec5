import { dev, PROTOCOL_VERSION, VaultError, toVaultError } from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';
import {
  CALLBACK_PATH,
  PendingSignIns,
  authorizationUrl,
  dpopParameters,
  checkHints,
  completeSignIn,
  newPendingSignIn,
  type PendingSignIn,
  type SignInHints,
} from './AuthorizationFlow.js';
import type { VaultEventDetail, VaultProxy } from './VaultProxy.js';

const MESSAGE_TYPES = new Set(['authorize-url-request', 'authorization-response']);

/**
 * The proxy frame's side of the popup flow. The app asks for a sign-in (`begin`); the sign-in
 * window (a top-level page of this origin) asks this frame for the authorization request, which the
 * frame builds and whose verifier, state and nonce it keeps in memory; the callback in that window
 * posts the authorization response back here, where the state is checked and the code redeemed.
 * Only windows of this origin are heard; the app's window never is (its messages go to startProxy);
 * a message from any other origin is dropped without an answer or an `error` event.
 */
export class PopupSignIn {
  readonly #proxy: VaultProxy;
  readonly #config: ResolvedProxyConfig;
  readonly #pending = new PendingSignIns();
  /** Requests built and not yet handed to a sign-in window, oldest first. */
  #queue: { pending: PendingSignIn; hints: SignInHints }[] = [];
  #notify: (name: 'error', detail: VaultEventDetail) => void;

  constructor(proxy: VaultProxy, notify: (name: 'error', detail: VaultEventDetail) => void) {
    this.#proxy = proxy;
    this.#config = proxy.config;
    this.#notify = notify;
    window.addEventListener('message', (event) => void this.#receive(event));
  }

  /** A sign-in window of the app is opening: make its authorization request. */
  begin(hints: SignInHints): void {
    if (this.#config.mode !== 'sealed') throw new VaultError('TV_INVALID_REQUEST', dev ? 'vault.signIn() needs mode: sealed' : '');
    checkHints(hints);
    const pending = newPendingSignIn(this.#config, `${location.origin}${CALLBACK_PATH}`, hints);
    this.#pending.add(pending);
    this.#queue = [...this.#queue.slice(-3), { pending, hints }];
  }

  async #receive(event: MessageEvent): Promise<void> {
    if (event.source === window.parent) return;
    const data = event.data as { v?: unknown; type?: unknown; query?: unknown } | null;
    if (typeof data !== 'object' || data === null || !MESSAGE_TYPES.has(data.type as string)) return;
    // A page of another origin (one that holds the app's window, or one the app opened) posting an
    // authorization response or asking for a request: dropped silently. Telling the app would let any
    // such page fail a pending signIn() at will, and there is no origin to answer it at.
    if (event.origin !== location.origin) return;
    if (data.v !== PROTOCOL_VERSION) return;
    const source = event.source as Window | null;
    if (data.type === 'authorize-url-request') {
      const next = this.#queue.shift();
      if (!next || !source) return;
      try {
        const url = await authorizationUrl(await this.#proxy.metadata(), this.#config, next.pending, next.hints, await dpopParameters(this.#proxy, next.pending));
        source.postMessage({ v: PROTOCOL_VERSION, type: 'authorize-url', url }, location.origin);
      } catch (err) {
        this.#notify('error', { error: toVaultError(err, 'TV_SIGN_IN_FAILED') });
      }
      return;
    }
    try {
      if (typeof data.query !== 'string' || data.query.length > 16_384) throw new VaultError('TV_MALFORMED_MESSAGE');
      const response = new URLSearchParams(data.query);
      const pending = this.#pending.take(response.get('state'));
      await completeSignIn(this.#proxy, pending, response);
    } catch (err) {
      this.#notify('error', { error: toVaultError(err, 'TV_SIGN_IN_FAILED') });
    }
  }
}
