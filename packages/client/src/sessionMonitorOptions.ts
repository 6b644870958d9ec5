import type { Vault } from './createVault.js';
import { idTokenClaims, SESSION_STATE } from '@tokenvault/oidc';
import type { ErrorDetails } from '@tokenvault/protocol';
import { DEFAULT_SESSION_CHECK, isSessionCheckMs, SESSION_CHECK_MIN_MS, type SessionCheck } from '@tokenvault/config';
import { invalidOption } from './invalidOption.js';

/**
 * Options of {@link SessionMonitor}: the sign-in it watches and where the OP may answer a re-check.
 *
 * @see https://github.com/tokenvault/tokenvault/blob/main/docs/session-monitoring.md
 */
export interface SessionMonitorOptions {
  /** The vault: a re-check's code is redeemed through it, and it is cleared on sign-out. */
  vault: Pick<Vault, 'fetch' | 'logout'>;
  /** The OP's issuer identifier; `check_session_iframe` and the endpoints come from its discovery document. */
  issuer: string;
  /** The OAuth client the app signed in as: it goes into every check message (`client_id session_state`). */
  clientId: string;
  /** The `session_state` of the authorization response the app signed in with. */
  sessionState: string;
  /** The ID token of that sign-in: its `sub` is the user, and it goes as `id_token_hint` with every re-check. */
  idToken: string;
  /**
   * A page on this origin, registered as a redirect URI at the OP, that runs nothing (an empty HTML
   * page): the OP's answers to `prompt=none` re-checks land there and are read from its URL.
   */
  redirectUri: string;
  /** The scope of a re-check: the app's sign-in scope, so that the vault's new tokens can do what the old ones did. Default `openid`. */
  scope?: string;
  /** How often to ask the OP, in milliseconds. Default 3000. */
  intervalMs?: number;
  /** How long the check frame and a re-check may take, in milliseconds. Default 10 000. */
  timeoutMs?: number;
}

/** The options checked, with their defaults and the user (`sub`) of the ID token. */
export interface SessionMonitorSettings extends Required<SessionMonitorOptions> {
  sub: string;
}

function fail(details: ErrorDetails): never {
  invalidOption(details);
}

// The same limits and defaults as the proxy's `sessionCheck` (sealed mode): one rule, in @tokenvault/config.
function wholeMs(value: unknown, name: keyof SessionCheck): number {
  if (value === undefined) return DEFAULT_SESSION_CHECK[name];
  if (!isSessionCheckMs(name, value)) fail({ why: 'monitorMs', option: name, min: SESSION_CHECK_MIN_MS[name] });
  return value;
}

/**
 * Checks `new SessionMonitor(options)` at the door (`TV_INVALID_ARGUMENT`, one message per
 * option) and returns them with their defaults. `appOrigin` is the origin `redirectUri` must be on.
 *
 * @example
 * ```ts
 * const settings = sessionMonitorOptions(options, location.origin)
 * ```
 */
export function sessionMonitorOptions(options: unknown, appOrigin: string): SessionMonitorSettings {
  if (typeof options !== 'object' || options === null) fail({ why: 'monitorOptions' });
  // Any option may be missing: the caller may be plain JavaScript.
  const { vault, issuer, clientId, sessionState, idToken, redirectUri, scope, intervalMs, timeoutMs } = options as Partial<SessionMonitorOptions>;
  if (typeof vault?.fetch !== 'function' || typeof vault.logout !== 'function') fail({ why: 'monitorVault' });
  if (typeof issuer !== 'string' || !URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) fail({ why: 'monitorIssuer' });
  if (typeof clientId !== 'string' || clientId === '') fail({ why: 'monitorClientId' });
  if (typeof sessionState !== 'string' || !SESSION_STATE.test(sessionState)) fail({ why: 'monitorSessionState' });
  if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri) || new URL(redirectUri).origin !== appOrigin) {
    fail({ why: 'monitorRedirectUri' });
  }
  if (scope !== undefined && (typeof scope !== 'string' || !scope.split(' ').includes('openid'))) fail({ why: 'monitorScope' });
  let sub: string;
  try {
    sub = idTokenClaims(idToken).sub;
  } catch {
    fail({ why: 'monitorIdToken' });
  }
  return {
    ...(options as SessionMonitorOptions),
    scope: scope ?? 'openid',
    intervalMs: wholeMs(intervalMs, 'intervalMs'),
    timeoutMs: wholeMs(timeoutMs, 'timeoutMs'),
    sub,
  };
}
