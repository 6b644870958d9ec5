import { PROTOCOL_VERSION, VaultError, randomToken, toVaultError } from '@tokenvault/protocol';
import type { ResolvedProxyConfig } from '@tokenvault/config';
import {
  CALLBACK_PATH,
  PendingSignIns,
  SIGN_IN_TTL_MS,
  authorizationUrl,
  dpopParameters,
  checkHints,
  completeSignIn,
  newPendingSignIn,
  type PendingSignIn,
  type SignInHints,
} from './AuthorizationFlow.js';
import { HANDOVER_MAX_QUERY, listenForHandover } from './signInHandover.js';
import type { VaultProxy } from '../routing/VaultProxy.js';
import type { Notify } from '../shared/VaultEvent.js';

const MESSAGE_TYPES = new Set(['authorize-url-request', 'authorization-response']);

/**
 * The proxy frame's side of the popup flow. The app asks for a sign-in (`begin`); the sign-in
 * window (a top-level page of this origin) asks this frame for the authorization request, which the
 * frame builds and whose verifier, state and nonce it keeps in memory; the callback in that window
 * posts the authorization response back here, where the state is checked and the code redeemed.
 * Only windows of this origin are heard; the app's window never is (its messages go to startProxy).
 * A window the OP cut off from its opener (COOP) hands the response over the proxy origin's own
 * channel instead (signInHandover.ts): taken only for a state this frame handed out and still holds.
 *
 * Each sign-in is a flow with an id minted here (`begin` returns it; the app's request is answered
 * with it). Its outcome, `signed-in` or its typed `error`, names the flow: only the port that asked
 * is told so, and the app's `signIn()` settles on that and nothing else (another tab's sign-in, a
 * renewal's error). One sign-in window per tab: a new `begin` supersedes the flows before it.
 */
export class PopupSignIn {
  readonly #proxy: VaultProxy;
  readonly #config: ResolvedProxyConfig;
  readonly #pending = new PendingSignIns();
  /** Requests built and not yet handed to a sign-in window, oldest first. */
  #queue: { pending: PendingSignIn; hints: SignInHints }[] = [];
  /** States handed to a sign-in window, with when: their response may come back over the channel. */
  readonly #out = new Map<string, number>();
  #notify: Notify;

  constructor(proxy: VaultProxy, notify: Notify) {
    this.#proxy = proxy;
    this.#config = proxy.config;
    this.#notify = notify;
    window.addEventListener('message', (event) => void this.#receive(event));
    listenForHandover(
      (query) => this.#takeHandover(query),
      () => this.#waiting(),
    );
  }

  /** Whether a sign-in window of this frame is out (its state handed out, not yet used nor expired). */
  #waiting(): boolean {
    const now = Date.now();
    for (const [state, at] of this.#out) if (now - at >= SIGN_IN_TTL_MS || !this.#pending.has(state)) this.#out.delete(state);
    return this.#out.size > 0;
  }

  /** Tells the app that a sign-in failed: its flow's outcome when it is known which flow (`flow`), else news for nobody's signIn(). */
  #fail(err: unknown, flow: string | undefined): void {
    const error = toVaultError(err, 'TV_SIGN_IN_FAILED');
    this.#notify('error', flow === undefined ? { error } : { error, flow });
  }

  /** A response handed over without the opener: this frame's only if it handed its state out and still holds it; then once. */
  #takeHandover(query: string): boolean {
    if (query.length > HANDOVER_MAX_QUERY) return false;
    const response = new URLSearchParams(query);
    const state = response.get('state');
    if (state === null || !this.#out.has(state) || !this.#pending.has(state)) return false;
    this.#out.delete(state);
    const flow = this.#pending.peek(state)?.flow;
    let pending: PendingSignIn;
    try {
      pending = this.#pending.take(state);
    } catch (err) {
      this.#fail(err, flow);
      return true;
    }
    completeSignIn(this.#proxy, pending, response).catch((err: unknown) => {
      this.#fail(err, flow);
    });
    return true;
  }

  /**
   * A sign-in window of the app is opening: make its authorization request. Returns the flow id
   * the sign-in's outcome will name. The app reuses one named window per tab, so a new sign-in
   * supersedes every earlier one of this frame: their states are forgotten (a response to one of
   * them is refused from now on) and no window can be handed their request.
   */
  begin(hints: SignInHints): string {
    if (this.#config.mode !== 'sealed') throw new VaultError('TV_INVALID_REQUEST', { why: 'signInNeedsSealed' });
    checkHints(hints);
    for (const { pending } of this.#queue) this.#pending.drop(pending.state);
    for (const state of this.#out.keys()) this.#pending.drop(state);
    this.#out.clear();
    const flow = randomToken();
    const pending: PendingSignIn = { ...newPendingSignIn(this.#config, `${location.origin}${CALLBACK_PATH}`, hints), flow };
    this.#pending.add(pending);
    this.#queue = [{ pending, hints }];
    return flow;
  }

  async #receive(event: MessageEvent): Promise<void> {
    if (event.source === window.parent) return;
    const data = event.data as { v?: unknown; type?: unknown; query?: unknown; windowState?: unknown } | null;
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
        this.#out.set(next.pending.state, Date.now());
        source.postMessage({ v: PROTOCOL_VERSION, type: 'authorize-url', url }, location.origin);
      } catch (err) {
        this.#fail(err, next.pending.flow);
      }
      return;
    }
    // The sign-in window's own state (the one it went to the OP with, kept in its sessionStorage):
    // which flow this response ends, even when the response's state is not that one.
    const windowState = typeof data.windowState === 'string' ? data.windowState : null;
    let flow = this.#pending.peek(windowState)?.flow;
    try {
      if (typeof data.query !== 'string' || data.query.length > HANDOVER_MAX_QUERY) throw new VaultError('TV_MALFORMED_MESSAGE');
      const response = new URLSearchParams(data.query);
      const state = response.get('state');
      // A response that is not the window's own sign-in's (a state swapped on the way): that flow
      // ends with TV_INVALID_STATE, its state used up; the response is redeemed by nobody.
      if (windowState !== null && flow !== undefined && state !== windowState) {
        this.#pending.drop(windowState);
        this.#out.delete(windowState);
        throw new VaultError('TV_INVALID_STATE', { why: 'stateNotWindows' });
      }
      flow ??= this.#pending.peek(state)?.flow;
      const pending = this.#pending.take(state);
      this.#out.delete(pending.state);
      await completeSignIn(this.#proxy, pending, response);
    } catch (err) {
      this.#fail(err, flow);
    }
  }
}
