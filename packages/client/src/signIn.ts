import { invalidOption } from './invalidOption.js';

/** Options of `vault.signIn()` (sealed mode). Nothing here says where the code goes: that is the proxy's. */
export interface SignInOptions {
  /**
   * Redirect flow: the page to come back to, a path (`/inbox`) or a URL of a configured app origin;
   * the proxy refuses anything else (`TV_RETURN_TO_REJECTED`). Default: this page.
   */
  returnTo?: string;
  /** OpenID Connect `prompt`. */
  prompt?: 'none' | 'login' | 'consent' | 'select_account';
  /** OpenID Connect `login_hint`: the user name the OP's form starts with. */
  loginHint?: string;
  /** The scope, with `openid`. Default: the proxy's configured `scope`. */
  scope?: string;
  /**
   * `'redirect'`: this tab goes to the proxy origin, the OP, the proxy's callback and back to
   * `returnTo` (Chromium, Firefox: their same-site proxy frame shares its storage with a top-level
   * proxy page). `'popup'`: a sign-in window, whose callback hands the code to this page's proxy
   * frame (every engine; WebKit needs it, as it partitions the frame's storage by the top-level
   * page). Default `'auto'`: popup in WebKit, redirect elsewhere. Call it from a click handler: a
   * browser opens a popup only then. Both work with an OP whose pages send
   * `Cross-Origin-Opener-Policy` (the popup's result then comes back over the proxy origin's own
   * channel: docs/sign-in-modes.md).
   */
  flow?: 'auto' | 'redirect' | 'popup';
  /**
   * Popup flow: how long, in milliseconds, to wait for the sign-in's result before rejecting with
   * `TV_SIGN_IN_TIMEOUT` (1000 to 600 000, the sign-in's own life; default 300 000). It matters
   * when the OP cut the window off from the app (COOP): the window's handle then reads `closed`
   * while the user is still signing in, so closing it cannot be told from that.
   */
  timeoutMs?: number;
}

/** The popup flow's default time limit (`signIn({ timeoutMs })`). */
export const POPUP_TIMEOUT_MS = 300_000;
/**
 * A sign-in window whose handle reads `closed` this soon after opening was, in all likelihood, cut
 * off by the OP's first page (COOP severs the handle when that page loads: within a second or two,
 * but more than 10 s on a machine under heavy load, measured), not closed by the user: its result
 * may still come over the proxy's channel, until the time limit.
 */
export const SEVERED_WITHIN_MS = 30_000;

/** Which rule an option of signIn() broke: the message catalog's `signInOption` says it in full. */
type SignInFix = 'unknown' | 'returnTo' | 'prompt' | 'loginHint' | 'scope' | 'flow' | 'timeoutMs';

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;

function fail(option: string, fix: SignInFix): never {
  invalidOption({ why: 'signInOption', option, fix });
}

/** Each option of signIn() and what a value of it must be (when it is given). */
const SIGN_IN_OPTIONS: Record<Exclude<SignInFix, 'unknown'>, (value: unknown) => boolean> = {
  returnTo: (value) => typeof value === 'string' && URL.canParse(value, location.href),
  prompt: (value) => PROMPTS.has(value as string),
  // eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job: a hint must be printable
  loginHint: (value) => typeof value === 'string' && value !== '' && value.length <= 256 && !/[\x00-\x1f\x7f]/.test(value),
  scope: (value) => typeof value === 'string' && value.length <= 1024 && SCOPE.test(value) && value.split(' ').includes('openid'),
  flow: (value) => value === 'auto' || value === 'redirect' || value === 'popup',
  timeoutMs: (value) => Number.isInteger(value) && (value as number) >= 1000 && (value as number) <= 600_000,
};

/** Checks `vault.signIn()`'s options at the door: unknown options first, then each in the order above. Throws `TV_INVALID_ARGUMENT`. */
export function assertSignInOptions(options: unknown): asserts options is SignInOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalidOption({ why: 'signInOptions' });
  for (const key of Object.keys(options)) if (!Object.hasOwn(SIGN_IN_OPTIONS, key)) fail(key, 'unknown');
  for (const [key, valid] of Object.entries(SIGN_IN_OPTIONS)) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined && !valid(value)) fail(key, key as SignInFix);
  }
}

/**
 * The proxy's start page of a redirect sign-in: only the one-time ticket the proxy frame minted;
 * what the app chose (hints, where to come back to) is the ticket's, kept in the proxy origin.
 */
export function redirectStartUrl(proxyOrigin: string, ticket: string): string {
  const url = new URL('/signin', proxyOrigin);
  url.searchParams.set('ticket', ticket);
  return url.href;
}
