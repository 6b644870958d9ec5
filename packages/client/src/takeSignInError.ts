import { SIGN_IN_ERROR_PARAM, VaultError, isErrorCode } from '@tokenvault/protocol';

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
  const code = url.searchParams.get(SIGN_IN_ERROR_PARAM);
  if (code === null) return null;
  url.searchParams.delete(SIGN_IN_ERROR_PARAM);
  history.replaceState(history.state, '', url.href);
  return isErrorCode(code) ? new VaultError(code) : new VaultError('TV_SIGN_IN_FAILED');
}
