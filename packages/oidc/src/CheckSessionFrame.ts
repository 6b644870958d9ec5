import { VaultError } from '@tokenvault/protocol';
import { checkSessionAnswer, type CheckSessionAnswer } from './checkSessionAnswer.js';
import { hiddenFrame, loadFrame } from './hiddenFrame.js';

/**
 * The OP's check_session_iframe, hidden on the app page, and the round trip of one check: posts
 * `client_id + " " + session_state` to the OP's origin only and waits for the answer that
 * checkSessionAnswer accepts (the page's `message` events are handed to `receive`).
 *
 * @example
 * ```ts
 * const frame = new CheckSessionFrame(endpoints.check_session_iframe, 10_000)
 * await frame.load()
 * window.addEventListener('message', (event) => frame.receive(event))
 * const answer = await frame.ask(`${clientId} ${sessionState}`) // 'changed', 'unchanged', 'error' or null
 * ```
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
export class CheckSessionFrame {
  readonly #iframe: HTMLIFrameElement;
  readonly #opOrigin: string;
  readonly #timeoutMs: number;
  #pending: ((answer: CheckSessionAnswer | null) => void) | null = null;

  constructor(src: string, timeoutMs: number) {
    this.#opOrigin = new URL(src).origin;
    this.#timeoutMs = timeoutMs;
    this.#iframe = hiddenFrame(src, 'OP session check');
  }

  /** Attaches the frame; rejects with `TV_SESSION_CHECK_FAILED` when it does not load within the time limit. */
  load(): Promise<void> {
    // load also fires for a page the browser refused to frame; then the first check times out.
    return loadFrame(this.#iframe, this.#timeoutMs, () => new VaultError('TV_SESSION_CHECK_FAILED', { why: 'checkSessionLoad', ms: this.#timeoutMs }));
  }

  /** True while a check waits for its answer. */
  get asking(): boolean {
    return this.#pending !== null;
  }

  /** Sends one check; resolves with the answer, or null when none came in time (or cancel() was called). */
  ask(message: string): Promise<CheckSessionAnswer | null> {
    const target = this.#iframe.contentWindow;
    if (!target) return Promise.reject(new VaultError('TV_SESSION_CHECK_FAILED', { why: 'checkSessionGone' }));
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#pending?.(null), this.#timeoutMs);
      this.#pending = (answer) => {
        clearTimeout(timer);
        this.#pending = null;
        resolve(answer);
      };
      // Addressed to the OP origin only: if the frame was navigated elsewhere, nothing is delivered.
      target.postMessage(message, this.#opOrigin);
    });
  }

  /** A `message` event of the page: settles the check waiting for it when it is the frame's answer. */
  receive(event: MessageEvent): void {
    const answer = checkSessionAnswer(event, this.#iframe.contentWindow, this.#opOrigin);
    if (answer) this.#pending?.(answer);
  }

  /** Settles the waiting check with null and removes the frame. */
  remove(): void {
    this.#pending?.(null);
    this.#iframe.remove();
  }
}
