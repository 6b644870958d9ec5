import { VaultError } from '@tokenvault/protocol';

/**
 * A value that the code around it guarantees and its types cannot show (the OP endpoint the
 * classifier found in the metadata, the key of DPoP tokens): returned as it is, or `TV_INTERNAL`
 * when that guarantee is broken, in place of a `!` that would fail later as a TypeError.
 *
 * @example
 * ```ts
 * const endpoint = required(metadata.endpoints[op.kind]) // op.kind: 'revocation'
 * ```
 */
export function required<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new VaultError('TV_INTERNAL', { why: 'missingValue' });
  return value;
}
