/** The placeholder that stands in for every credential the app origin would otherwise see. */
export const REDACTED = 'REDACTED';

/** The token response fields redacted by default. `id_token`, `expires_in`, `scope`, `token_type` stay. */
export const DEFAULT_REDACTED_FIELDS: readonly string[] = ['access_token', 'refresh_token'];

/**
 * A copy of a token response in which every listed field that is present reads `"REDACTED"`.
 * Fields that are absent stay absent, so the app can still tell whether a refresh token was issued.
 *
 * @example
 * ```ts
 * redactTokenResponse({ access_token: 'eyJ…', token_type: 'Bearer', expires_in: 600 })
 * // { access_token: 'REDACTED', token_type: 'Bearer', expires_in: 600 }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function redactTokenResponse(
  response: Readonly<Record<string, unknown>>,
  fields: readonly string[] = DEFAULT_REDACTED_FIELDS,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...response };
  for (const field of fields) {
    if (Object.hasOwn(copy, field)) copy[field] = REDACTED;
  }
  return copy;
}
