import { VaultError } from '@tokenvault/protocol';

/** Throws `TV_INVALID_ARGUMENT` (see optionError). Declare it with this type: TypeScript narrows after a call only then. */
export type OptionFail = (fix: string | false, short?: string) => never;

/**
 * The client's one way to refuse an option at the door: returns the `fail` of the public function
 * named `where`, which throws `TV_INVALID_ARGUMENT` with `"<where>: <fix>"`. A call site that keeps
 * its long text out of production builds passes `dev && 'the fix'` and a `short` message (a
 * field's name, or nothing): `fix` is then `false` and the error says `short`, keeping the code.
 *
 * @example
 * ```ts
 * const fail: OptionFail = optionError('createVault(options)')
 * if (!URL.canParse(proxyUrl)) fail(dev && 'options.proxyUrl must be the absolute URL of the proxy page', 'proxyUrl')
 * ```
 */
export function optionError(where: string): OptionFail {
  return (fix, short = '') => {
    throw new VaultError('TV_INVALID_ARGUMENT', fix === false ? short : `${where}: ${fix}`);
  };
}
