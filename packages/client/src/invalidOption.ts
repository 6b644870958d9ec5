import { VaultError, type ErrorDetails } from '@tokenvault/protocol';

/**
 * The client's one way to refuse an option at the door: throws `TV_INVALID_ARGUMENT` with
 * `details`, whose template (in the protocol's error catalog) names the public function and the
 * fix (`"createVault(options): options.proxyUrl must be …"`) in development builds; production
 * builds say the code and the details.
 *
 * @example
 * ```ts
 * if (!URL.canParse(proxyUrl)) invalidOption({ why: 'proxyUrl' })
 * ```
 */
export function invalidOption(details: ErrorDetails): never {
  throw new VaultError('TV_INVALID_ARGUMENT', details);
}
