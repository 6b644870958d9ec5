import { VaultError } from '@tokenvault/protocol';

/**
 * The client's one way to refuse an option at the door: throws `TV_INVALID_ARGUMENT` with
 * `message`, which names the public function and the fix (`"createVault(options): options.proxyUrl
 * must be …"`). A call site that keeps its long text out of production builds passes
 * `dev && 'the message'` and a `short` one (a field's name, or nothing): `message` is then
 * `false` and the error says `short`, keeping the code.
 *
 * @example
 * ```ts
 * if (!URL.canParse(proxyUrl)) invalidOption(dev && 'createVault(options): options.proxyUrl must be the absolute URL of the proxy page', 'proxyUrl')
 * const fail = (fix: string): never => invalidOption(`serveHostSession(options): ${fix}`)
 * ```
 */
export function invalidOption(message: string | false, short = ''): never {
  throw new VaultError('TV_INVALID_ARGUMENT', message === false ? short : message);
}
