import { CREDENTIAL_FIELDS, DEFAULT_REDACTED_FIELDS } from '@tokenvault/config';

/** The placeholder that stands in for every credential the app origin would otherwise see. */
export const REDACTED = 'REDACTED';

/**
 * The token response fields the app gets as they are: nothing in them is a credential the vault
 * keeps from the app (the ID token is the app's to read: it says who signed in).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.2.1
 */
export const SAFE_TOKEN_FIELDS: readonly string[] = ['token_type', 'expires_in', 'scope', 'id_token', 'issued_token_type'];

/** What {@link redactTokenResponse} redacts, keeps and strips. */
export interface RedactOptions {
  /** Fields that read `"REDACTED"` when present. Default access_token, refresh_token. */
  redact?: readonly string[];
  /** Fields besides {@link SAFE_TOKEN_FIELDS} the app gets as they are, if their value is a string, number or boolean. */
  keep?: readonly string[];
  /** Values that must not reach the app in any field (the tokens the vault holds). */
  secrets?: readonly string[];
  /** What a redacted field reads instead of `"REDACTED"` (the JWT-shaped placeholders of the tokens the vault holds). */
  placeholders?: Readonly<Partial<Record<string, string>>>;
}

/**
 * The token response the app gets, rebuilt by allow-list: the redacted fields as `"REDACTED"`
 * (absent ones stay absent, so the app can still tell whether a refresh token was issued), the
 * safe and kept fields as they are when they are plain values that contain no secret, and nothing
 * else: no nested copy, no `device_secret`, no vendor field nobody listed.
 *
 * @example
 * ```ts
 * redactTokenResponse({ access_token: 'eyJ…', token_type: 'Bearer', expires_in: 600, device_secret: 'x' })
 * // { access_token: 'REDACTED', token_type: 'Bearer', expires_in: 600 }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function redactTokenResponse(response: Readonly<Record<string, unknown>>, options: RedactOptions = {}): Record<string, unknown> {
  const redact = options.redact ?? DEFAULT_REDACTED_FIELDS;
  const keep = new Set([...SAFE_TOKEN_FIELDS, ...(options.keep ?? [])]);
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(response)) {
    if (redact.includes(field)) {
      out[field] = options.placeholders?.[field] ?? REDACTED;
      continue;
    }
    if (!keep.has(field) || CREDENTIAL_FIELDS.includes(field)) continue;
    const plain = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!plain) continue;
    if (typeof value === 'string' && secrets.some((secret) => value.includes(secret))) continue;
    out[field] = value;
  }
  return out;
}
