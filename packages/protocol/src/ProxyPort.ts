import { VaultError } from './errors.js';
import { FetchPort } from './FetchPort.js';
import type { ResultMessage } from './messages.js';

export type { ProxyPortOptions } from './FetchPort.js';

/** A request other than `fetch`: answered with a result. */
export type ResultRequest =
  /** Whether the proxy holds tokens. */
  | {
      /** Always `"status"`. */
      type: 'status';
    }
  /** Revoke the tokens at the OP and clear the store. */
  | {
      /** Always `"logout"`. */
      type: 'logout';
      /** Where the OP sends the browser after ending its session; the OP checks it against the client's registration. */
      postLogoutRedirectUri?: string;
    }
  /** The session ID a host posted to the app's window (`hostSession.handoff: 'app-window'`). */
  | {
      /** Always `"host-session"`. */
      type: 'host-session';
      /** The host's session ID. */
      sessionId: string;
    }
  /** Sealed mode: have the proxy build the authorization request of a sign-in window, or mint the ticket of a redirect sign-in. */
  | {
      /** Always `"sign-in"`. */
      type: 'sign-in';
      /** The OIDC `prompt` parameter of the authorization request. */
      prompt?: 'none' | 'login' | 'consent' | 'select_account';
      /** The OIDC `login_hint` parameter: printable text, at most 256 characters. */
      loginHint?: string;
      /** The scope to ask for; the proxy's configured scope when absent. */
      scope?: string;
      /** `'redirect'`: the redirect flow, answered with a one-time ticket for /signin; absent: the popup flow. */
      flow?: 'redirect';
      /** Redirect flow: where the browser comes back to. */
      returnTo?: string;
    }
  /** The claims of the signed-in user's ID token. */
  | {
      /** Always `"user"`. */
      type: 'user';
    };

/**
 * The page's end of the channel to the proxy: a {@link FetchPort} that also asks the proxy for
 * results (status, logout, the host's session ID, sign-in, user) and hears its events (`onEvent`).
 *
 * @example
 * ```ts
 * const port = new ProxyPort(channel.port1, { helloTimeoutMs, replyTimeoutMs, replies: PAGE_REPLIES, onEvent })
 * const { signedIn } = await port.request({ type: 'status' })
 * ```
 */
export class ProxyPort extends FetchPort {
  /**
   * Asks the proxy something answered with a result: `status` (whether it holds tokens), `logout`
   * (revoke the tokens at the OP and clear the store; the result carries the OP's end-session URL)
   * or `host-session` (the session ID a host posted to the app's window: taken only by a proxy whose
   * `hostSession.handoff` is `'app-window'`, one per page, else `TV_HOST_SESSION_REFUSED`; a second
   * is refused with `TV_HOST_SESSION_ALREADY_SET`).
   */
  async request(message: ResultRequest): Promise<ResultMessage> {
    const reply = await this.call(message, []);
    if (reply.type !== 'result') throw new VaultError('TV_MALFORMED_MESSAGE', { why: 'notResult', type: reply.type });
    return reply;
  }
}
