/**
 * The one catalog of Token Vault error codes. Every error the kit throws, and every error body the
 * proxy or the interceptor answers, carries one of these codes, so that an app can
 * `switch (err.code)` or read `body.error`.
 *
 * The HTTP status is what a request answered with this error gets.
 */
export const errorCatalog = {
  /** A configuration value is missing or wrong. Thrown at start-up, never answered to a request. */
  TV_INVALID_CONFIG: { status: 500, message: 'The Token Vault configuration is invalid' },
  /** A function of the kit was called with an argument of the wrong shape. */
  TV_INVALID_ARGUMENT: { status: 400, message: 'Invalid argument' },
  /** A cross-origin message came from an origin or a window that is not allowed. */
  TV_ORIGIN_REJECTED: { status: 403, message: 'Message from a window or origin that is not allowed' },
  /** A message did not match the protocol schema. */
  TV_MALFORMED_MESSAGE: { status: 400, message: 'Malformed message' },
  /** The two ends speak different protocol versions (an upgrade half rolled out). */
  TV_VERSION_MISMATCH: { status: 503, message: 'Protocol version mismatch between the vault parts' },
  /** The request cannot be performed by the vault as sent (for example a token request that is not a form). */
  TV_INVALID_REQUEST: { status: 400, message: 'The request cannot be performed by the vault' },
  /** The request URL matches none of the proxy's rules, so the proxy will not perform it. */
  TV_URL_NOT_ALLOWED: { status: 403, message: 'The request URL is not allowed by the vault rules' },
  /** The request URL is ambiguous (credentials in the URL, encoded slashes, dot segments). */
  TV_AMBIGUOUS_URL: { status: 400, message: 'The request URL is ambiguous and is refused' },
  /** A protected request was made while the vault holds no token. */
  TV_NOT_SIGNED_IN: { status: 401, message: 'The vault holds no token: sign in first' },
  /** Refreshing the tokens failed; the vault is cleared and the app must sign in again. */
  TV_REFRESH_FAILED: { status: 401, message: 'Refreshing the tokens failed: sign in again' },
  /** The token request used a grant type the vault does not handle. */
  TV_UNSUPPORTED_GRANT: { status: 400, message: 'The vault does not handle this grant type' },
  /** The token endpoint answered something that is not a valid token response. */
  TV_INVALID_TOKEN_RESPONSE: { status: 502, message: 'The token endpoint answered an invalid token response' },
  /** The proxy iframe could not be reached (not loaded, blocked, or not answering). */
  TV_PROXY_UNREACHABLE: { status: 503, message: 'The vault proxy cannot be reached' },
  /** The page is not controlled by the interceptor service worker. */
  TV_NOT_CONTROLLED: { status: 503, message: 'The page is not controlled by the vault service worker' },
  /** The upstream server could not be reached (network error or CORS refusal). */
  TV_UPSTREAM_UNREACHABLE: { status: 502, message: 'The upstream server cannot be reached' },
  /** The upstream server did not answer in time. */
  TV_UPSTREAM_TIMEOUT: { status: 504, message: 'The upstream server did not answer in time' },
  /** The upstream server answered with a redirect, which the vault does not follow with a credential. */
  TV_UPSTREAM_REDIRECT: { status: 502, message: 'The upstream server answered a redirect, which the vault does not follow' },
  /** The proxy's token storage (IndexedDB) is not available in this browser context. */
  TV_STORAGE_UNAVAILABLE: { status: 503, message: 'The vault storage is not available in this browser' },
  /** A request matched a rule marked for the host session, but the host handed this page none. */
  TV_NO_HOST_SESSION: { status: 401, message: 'The vault holds no host session ID for this page' },
  /** The embedding host page did not hand a session ID in time. */
  TV_HOST_SESSION_TIMEOUT: { status: 504, message: 'The host page did not hand a session ID in time' },
  /** The host session handshake was started on a page that no host page embeds. */
  TV_NOT_EMBEDDED: { status: 400, message: 'The page is not embedded by a host page' },
  /** The OP's check_session_iframe answered "error", did not answer in time, or the prompt=none re-check failed. */
  TV_SESSION_CHECK_FAILED: { status: 502, message: 'The OP session check failed' },
  /** An unexpected failure inside the vault. */
  TV_INTERNAL: { status: 500, message: 'Internal vault error' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable Token Vault error code, such as `TV_URL_NOT_ALLOWED`. */
export type ErrorCode = keyof typeof errorCatalog;

/** True when `value` is one of the catalog's codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalog, value);
}

/**
 * The error every part of the kit throws.
 *
 * @example
 * ```ts
 * try { await vault.ready } catch (err) {
 *   if (err instanceof VaultError && err.code === 'TV_PROXY_UNREACHABLE') showOfflineBanner()
 * }
 * ```
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  /** The stable code from the catalog. */
  readonly code: ErrorCode;
  /** The HTTP status a request failing with this error is answered with. */
  readonly status: number;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? errorCatalog[code].message, options);
    this.code = code;
    this.status = errorCatalog[code].status;
  }
}

/** The JSON body of every error response the vault itself produces. */
export interface ErrorBody {
  error: ErrorCode;
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
