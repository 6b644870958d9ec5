// Which token response fields the vault keeps from the app: the defaults the configuration starts
// from and the fields no configuration may hand over. The proxy applies them (redactTokenResponse).

/** The token response fields redacted by default. `id_token`, `expires_in`, `scope`, `token_type` stay. */
export const DEFAULT_REDACTED_FIELDS: readonly string[] = ['access_token', 'refresh_token'];

/**
 * Fields that are credentials wherever they appear: never on a keep-list. `device_secret` is
 * OpenID Connect Native SSO's; the rest are RFC 6749's.
 */
export const CREDENTIAL_FIELDS: readonly string[] = ['access_token', 'refresh_token', 'device_secret', 'code', 'code_verifier', 'client_secret'];
