import { dev } from './dev.js';
import { errorMessages, type ErrorDetail } from './errorMessages.js';

// Written out so that the reference lists every code; the catalog below must name exactly these.
/**
 * A stable Token Vault error code, such as `TV_URL_NOT_ALLOWED`. {@link errorCatalog} (and the
 * README's error table) gives each one's HTTP status and meaning.
 */
export type ErrorCode =
  | 'TV_INVALID_CONFIG'
  | 'TV_INVALID_ARGUMENT'
  | 'TV_ORIGIN_REJECTED'
  | 'TV_MALFORMED_MESSAGE'
  | 'TV_VERSION_MISMATCH'
  | 'TV_INVALID_REQUEST'
  | 'TV_URL_NOT_ALLOWED'
  | 'TV_AMBIGUOUS_URL'
  | 'TV_NOT_SIGNED_IN'
  | 'TV_REFRESH_FAILED'
  | 'TV_UNSUPPORTED_GRANT'
  | 'TV_INVALID_TOKEN_RESPONSE'
  | 'TV_PROXY_UNREACHABLE'
  | 'TV_NOT_CONTROLLED'
  | 'TV_UPSTREAM_UNREACHABLE'
  | 'TV_UPSTREAM_TIMEOUT'
  | 'TV_UPSTREAM_REDIRECT'
  | 'TV_ABORTED'
  | 'TV_STORAGE_UNAVAILABLE'
  | 'TV_NO_HOST_SESSION'
  | 'TV_HOST_SESSION_TIMEOUT'
  | 'TV_NOT_EMBEDDED'
  | 'TV_SESSION_CHECK_FAILED'
  | 'TV_UNCLASSIFIED_OP_REQUEST'
  | 'TV_PASSTHROUGH_FAILED'
  | 'TV_HOST_SESSION_REFUSED'
  | 'TV_HOST_SESSION_ALREADY_SET'
  | 'TV_DPOP_KEY_LOST'
  | 'TV_INVALID_STATE'
  | 'TV_RETURN_TO_REJECTED'
  | 'TV_SIGN_IN_FAILED'
  | 'TV_SIGN_IN_CANCELLED'
  | 'TV_SEALED_MODE'
  | 'TV_SIGN_IN_TIMEOUT'
  | 'TV_INTERNAL'
  | 'TV_REVOCATION_REFUSED'
  | 'TV_SIGN_IN_NOT_STARTED'
  | 'TV_NO_API_TOKEN'
  | 'TV_REFRESH_REJECTED'
  | 'TV_QUEUE_TIMEOUT';

/**
 * The one catalog of Token Vault error codes. Every error the kit throws, and every error body the
 * proxy or the interceptor answers, carries one of these codes, so that an app can
 * `switch (err.code)` or read `body.error`.
 *
 * The HTTP status is what a request answered with this error gets. Codes and statuses ship in every
 * build; their descriptions ({@link errorCatalog}) are for development and for the README.
 */
const errorStatus = {
  TV_INVALID_CONFIG: 500,
  TV_INVALID_ARGUMENT: 400,
  TV_ORIGIN_REJECTED: 403,
  TV_MALFORMED_MESSAGE: 400,
  TV_VERSION_MISMATCH: 503,
  TV_INVALID_REQUEST: 400,
  TV_URL_NOT_ALLOWED: 403,
  TV_AMBIGUOUS_URL: 400,
  TV_NOT_SIGNED_IN: 401,
  TV_REFRESH_FAILED: 401,
  TV_UNSUPPORTED_GRANT: 400,
  TV_INVALID_TOKEN_RESPONSE: 502,
  TV_PROXY_UNREACHABLE: 503,
  TV_NOT_CONTROLLED: 503,
  TV_UPSTREAM_UNREACHABLE: 502,
  TV_UPSTREAM_TIMEOUT: 504,
  TV_UPSTREAM_REDIRECT: 502,
  TV_ABORTED: 499,
  TV_STORAGE_UNAVAILABLE: 503,
  TV_NO_HOST_SESSION: 401,
  TV_HOST_SESSION_TIMEOUT: 504,
  TV_NOT_EMBEDDED: 400,
  TV_SESSION_CHECK_FAILED: 502,
  TV_UNCLASSIFIED_OP_REQUEST: 403,
  TV_PASSTHROUGH_FAILED: 502,
  TV_HOST_SESSION_REFUSED: 403,
  TV_HOST_SESSION_ALREADY_SET: 409,
  TV_DPOP_KEY_LOST: 401,
  TV_INVALID_STATE: 400,
  TV_RETURN_TO_REJECTED: 400,
  TV_SIGN_IN_FAILED: 502,
  TV_SIGN_IN_CANCELLED: 499,
  TV_SEALED_MODE: 403,
  TV_SIGN_IN_TIMEOUT: 504,
  TV_SIGN_IN_NOT_STARTED: 403,
  TV_NO_API_TOKEN: 403,
  TV_REFRESH_REJECTED: 502,
  TV_INTERNAL: 500,
  TV_REVOCATION_REFUSED: 400,
  TV_QUEUE_TIMEOUT: 503,
} as const satisfies Record<ErrorCode, number>;

/** What each code means: the default message of a VaultError in development builds. */
const descriptions: Record<ErrorCode, string> = {
  /** A configuration value is missing or wrong. Thrown at start-up, never answered to a request. */
  TV_INVALID_CONFIG: 'The Token Vault configuration is invalid',
  /** A function of the kit was called with an argument of the wrong shape. */
  TV_INVALID_ARGUMENT: 'Invalid argument',
  /** A cross-origin message came from an origin or a window that is not allowed. */
  TV_ORIGIN_REJECTED: 'Message from a window or origin that is not allowed',
  /** A message did not match the protocol schema. */
  TV_MALFORMED_MESSAGE: 'Malformed message',
  /** The two ends speak different protocol versions (an upgrade half rolled out). */
  TV_VERSION_MISMATCH: 'Protocol version mismatch between the vault parts',
  /** The request cannot be performed by the vault as sent (for example a token request that is not a form). */
  TV_INVALID_REQUEST: 'The request cannot be performed by the vault',
  /** The request URL matches none of the proxy's rules, so the proxy will not perform it. */
  TV_URL_NOT_ALLOWED: 'The request URL is not allowed by the vault rules',
  /** The request URL is ambiguous (credentials in the URL, encoded slashes, dot segments, `;` parameters, double or %u encoding, bytes that are not UTF-8). */
  TV_AMBIGUOUS_URL: 'The request URL is ambiguous and is refused',
  /** A protected request was made while the vault holds no token. */
  TV_NOT_SIGNED_IN: 'The vault holds no token: sign in first',
  /** Refreshing the tokens failed; the vault is cleared and the app must sign in again. */
  TV_REFRESH_FAILED: 'Refreshing the tokens failed: sign in again',
  /** The token request used a grant type the vault does not handle. */
  TV_UNSUPPORTED_GRANT: 'The vault does not handle this grant type',
  /** The token endpoint answered something that is not a valid token response. */
  TV_INVALID_TOKEN_RESPONSE: 'The token endpoint answered an invalid token response',
  /** The proxy iframe could not be reached (not loaded, blocked, or not answering). */
  TV_PROXY_UNREACHABLE: 'The vault proxy cannot be reached',
  /** The page is not controlled by the interceptor service worker. */
  TV_NOT_CONTROLLED: 'The page is not controlled by the vault service worker',
  /** The upstream server could not be reached (network error or CORS refusal). */
  TV_UPSTREAM_UNREACHABLE: 'The upstream server cannot be reached',
  /** The upstream server did not answer in time. */
  TV_UPSTREAM_TIMEOUT: 'The upstream server did not answer in time',
  /** The upstream server answered with a redirect, which the vault does not follow with a credential. */
  TV_UPSTREAM_REDIRECT: 'The upstream server answered a redirect, which the vault does not follow',
  /** The app aborted the request (its AbortSignal); the vault aborted the upstream request too. Never answered to the app, whose fetch rejects with an AbortError. */
  TV_ABORTED: 'The request was aborted by the app',
  /** The proxy's token storage (IndexedDB) is not available in this browser context. */
  TV_STORAGE_UNAVAILABLE: 'The vault storage is not available in this browser',
  /** A request matched a rule marked for the host session, but the host handed this page none. */
  TV_NO_HOST_SESSION: 'The vault holds no host session ID for this page',
  /** The embedding host page did not hand a session ID in time. */
  TV_HOST_SESSION_TIMEOUT: 'The host page did not hand a session ID in time',
  /** The host session handshake was started on a page that no host page embeds. */
  TV_NOT_EMBEDDED: 'The page is not embedded by a host page',
  /** The OP's check_session_iframe answered "error", did not answer in time, or the prompt=none re-check failed. */
  TV_SESSION_CHECK_FAILED: 'The OP session check failed',
  /** A request other than GET or HEAD to an origin of the OP's endpoints, at none of them and under no `opPassThrough` path: it never leaves the page. */
  TV_UNCLASSIFIED_OP_REQUEST: 'The request goes to the OP but is none of its known endpoints, and is refused: declare an API of the OP that the page calls itself in opPassThrough',
  /** A request the worker passed on unchanged (not one the vault performs) was refused by the browser: CORS, or a network error. */
  TV_PASSTHROUGH_FAILED: "The app's own request failed in the browser (CORS refusal or network error)",
  /** A host session ID was offered on a path the proxy's configuration does not take it from (from the app, unless `hostSession.handoff` is `'app-window'`). */
  TV_HOST_SESSION_REFUSED: 'The vault takes the host session ID only from the host page',
  /** A second host session ID for a proxy page that already holds one: refused, the first one stays. */
  TV_HOST_SESSION_ALREADY_SET: 'This vault page already holds a host session ID',
  /** The tokens are bound to a DPoP key the browser no longer holds (its storage was cleared); the vault signed out. */
  TV_DPOP_KEY_LOST: 'The vault lost the key its tokens are bound to: sign in again',
  /** An authorization response came back with a state the proxy did not issue, already used, or expired: refused, nothing stored. */
  TV_INVALID_STATE: 'The authorization response has an unknown, used or expired state',
  /** `signIn({ returnTo })` named a place outside the configured app origins (no open redirect). */
  TV_RETURN_TO_REJECTED: 'returnTo is not a page of a configured app origin',
  /** The OP answered the sealed sign-in with an error, or the code could not be redeemed (its ID token included). */
  TV_SIGN_IN_FAILED: 'The sign-in failed at the OP',
  /** The sign-in window was blocked or closed before the sign-in ended. */
  TV_SIGN_IN_CANCELLED: 'The sign-in was cancelled',
  /**
   * A popup sign-in brought no result within its time limit (`signIn({ timeoutMs })`): its window
   * was closed, or cut off from the app by the OP (`Cross-Origin-Opener-Policy`) and its result did
   * not reach the vault (the browser gave the proxy origin no channel back).
   */
  TV_SIGN_IN_TIMEOUT: 'No sign-in result arrived in time: the sign-in window was closed, or the OP cut it off from the app and its result could not reach the vault',
  /** The proxy's `/signin` was reached without a ticket of the app's own vault (a page of another site sent the browser there). */
  TV_SIGN_IN_NOT_STARTED: "The sign-in was not started by the app's vault",
  /** A rule names an API (`resource`) for which the OP issued no token: it refused the resource, or the vault holds no refresh token to ask with. The session stays. */
  TV_NO_API_TOKEN: 'The vault holds no token for this API, and the OP issued none',
  /** In sealed mode the vault is the OAuth client: the app may not redeem a code or send a refresh grant of its own through it. */
  TV_SEALED_MODE: 'The vault runs in sealed mode: the app cannot redeem authorization codes or refresh',
  /** The OP refused a refresh without saying the grant is dead (`invalid_request`, `invalid_client`, …): the tokens are kept. */
  TV_REFRESH_REJECTED: 'The OP refused the refresh request; the tokens are kept',
  /** An unexpected failure inside the vault. */
  TV_INTERNAL: 'Internal vault error',
  /** The OP refused a revocation the app asked for with an answer that is not an OAuth error (an empty `401`, an HTML page): answered with the OP's own status; the tokens stay. */
  TV_REVOCATION_REFUSED: 'The OP refused the revocation without an OAuth error',
  /** A request of the app (protected, or an OP call) waited in the proxy's queue (`maxUpstreamRequests` were at the network) longer than `timeouts.queueMs`: it was never sent. */
  TV_QUEUE_TIMEOUT: 'The request waited too long in the vault queue and was not sent',
};

/**
 * The catalog as a table: every code with its HTTP status and description (the README's error
 * table). Only what imports it ships it.
 *
 * @example
 * ```ts
 * errorCatalog.TV_URL_NOT_ALLOWED // { status: 403, message: 'The request URL is not allowed by the vault rules' }
 * ```
 */
export const errorCatalog = /* @__PURE__ */ catalog();

function catalog(): {
  readonly [C in ErrorCode]: {
    /** The HTTP status of an answer with this error. */
    readonly status: (typeof errorStatus)[C];
    /** What the error means, as the README's error table says it. */
    readonly message: string;
  };
} {
  const entries = Object.entries(errorStatus).map(([code, status]): [string, { status: number; message: string }] => [code, { status, message: descriptions[code as ErrorCode] }]);
  // One entry per code of errorStatus, each with that code's status.
  return Object.freeze(Object.fromEntries(entries)) as ReturnType<typeof catalog>;
}

/** True when `value` is one of the catalog's codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorStatus, value);
}

/** The id of a message template in `errorMessages` (packages/protocol/src/errorMessages.ts). */
export type MessageId = keyof typeof errorMessages;

/**
 * What a VaultError says besides its code: `why`, the id of its message template in
 * `errorMessages` (packages/protocol/src/errorMessages.ts), and the values that template reads (a field's name, a status, a limit),
 * plus `field` for a configuration error. Development builds turn them into a sentence; production
 * builds say the code and these details only. Never a credential.
 */
export type ErrorDetails =
  | {
      [K in MessageId]: {
        /** The id of the message template. */
        readonly why: K;
        /** The configuration field a `TV_INVALID_CONFIG` is about. */
        readonly field?: string;
      } & ((typeof errorMessages)[K] extends (d: infer P) => string ? P : object);
    }[MessageId]
  | {
      /** No template: the code's description. */
      readonly why?: undefined;
      /** The configuration field a `TV_INVALID_CONFIG` is about. */
      readonly field?: string;
    };

/**
 * The one message generator, as workbox's `messageGenerator`: in development builds the template
 * of `details.why` (or the code's description), in production builds the code and its details
 * (`TV_URL_NOT_ALLOWED {"why":"noRuleMatches","origin":"https://api.example.com","pathname":"/v2/x"}`).
 * The switch is `dev`; a production bundle drops the templates with the branch that reads them.
 */
function messageOf(code: ErrorCode, details: ErrorDetails | undefined): string {
  if (!dev) return details ? `${code} ${JSON.stringify(details)}` : code;
  const templates: Readonly<Record<string, (d: Readonly<Record<string, ErrorDetail>>) => string>> = errorMessages;
  const template = details?.why === undefined ? undefined : templates[details.why];
  const text = template ? template(details as Readonly<Record<string, ErrorDetail>>) : descriptions[code];
  return details?.field === undefined ? text : `Invalid Token Vault configuration: ${details.field}${template ? ` ${text}` : ''}`;
}

/**
 * The error every part of the kit throws.
 *
 * @example
 * ```ts
 * try { await vault.ready } catch (err) {
 *   if (err instanceof VaultError && err.code === 'TV_PROXY_UNREACHABLE') showOfflineBanner()
 * }
 * throw new VaultError('TV_INVALID_REQUEST', { why: 'tokenNotPost' }) // "Token requests must be POST" in development
 * ```
 */
export class VaultError extends Error {
  /** Always `"VaultError"`. */
  override readonly name = 'VaultError';
  // Declared, not class fields: set once in the constructor, and a field's declaration would ship in
  // every bundle as `code;status;`.
  /** The stable code from the catalog. */
  declare readonly code: ErrorCode;
  /** The HTTP status a request failing with this error is answered with. */
  declare readonly status: number;

  /**
   * @param details the id of the message template and the values it reads ({@link ErrorDetails});
   * the message is generated from them (see `errorMessages` (packages/protocol/src/errorMessages.ts)). A string is a message already
   * made: one relayed from another realm (an error reply of the proxy), or one of the build tools,
   * which run in Node only. Never put a credential in either.
   */
  constructor(code: ErrorCode, details?: ErrorDetails | string, options?: { cause?: unknown }) {
    super(typeof details === 'string' ? details || code : messageOf(code, details), options);
    this.code = code;
    this.status = errorStatus[code];
  }
}

/** The JSON body of every error response the vault itself produces. */
export interface ErrorBody {
  /** The `TV_*` code. */
  error: ErrorCode;
  /** What went wrong (the code alone in production builds). */
  error_description: string;
}

/** Turns anything caught into a VaultError, keeping the original as `cause`. */
export function toVaultError(err: unknown, fallback: ErrorCode = 'TV_INTERNAL'): VaultError {
  if (err instanceof VaultError) return err;
  return new VaultError(fallback, undefined, { cause: err });
}

/** The error body for a VaultError. The message never contains a credential. */
export function errorBody(err: VaultError): ErrorBody {
  return { error: err.code, error_description: err.message };
}

/** A Response carrying the vault's typed error body. */
export function errorResponse(err: VaultError): Response {
  return new Response(JSON.stringify(errorBody(err)), {
    status: err.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

/**
 * The one shape of a configuration error: `TV_INVALID_CONFIG`, naming the field, and in development
 * builds saying how to fix it (the template `details.why`).
 *
 * @example
 * ```ts
 * throw invalidConfig('redact', { why: 'redactTokens' })
 * // development: VaultError TV_INVALID_CONFIG: Invalid Token Vault configuration: redact must include access_token and refresh_token
 * // production:  VaultError TV_INVALID_CONFIG: TV_INVALID_CONFIG {"why":"redactTokens","field":"redact"}
 * ```
 */
export function invalidConfig(field: string, details?: ErrorDetails): VaultError {
  return new VaultError('TV_INVALID_CONFIG', { ...details, field });
}
