import { VaultError, isErrorCode } from '@tokenvault/protocol';

/** The parameter through which the proxy tells the page, after a redirect sign-in, which typed error ended it. */
export const ERROR_PARAM = 'tokenvault_error';

/**
 * Takes a redirect sign-in's error code off this page's URL (history too), if there is one: at
 * start, before the app reads its URL, so it is in the client's first chunk.
 *
 * @example
 * ```ts
 * const signInError = takeSignInError() // VaultError('TV_INVALID_STATE') after ?tokenvault_error=TV_INVALID_STATE
 * ```
 */
export function takeSignInError(): VaultError | null {
  const url = new URL(location.href);
  const code = url.searchParams.get(ERROR_PARAM);
  if (code === null) return null;
  url.searchParams.delete(ERROR_PARAM);
  history.replaceState(history.state, '', url.href);
  return isErrorCode(code) ? new VaultError(code) : new VaultError('TV_SIGN_IN_FAILED');
}
