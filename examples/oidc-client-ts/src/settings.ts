import { WebStorageStateStore, type UserManagerSettings } from 'oidc-client-ts';
import { config } from 'virtual:tokenvault/config';

/**
 * oidc-client-ts as it runs through the vault. What matters for the vault:
 * - `authority` only: discovery, the JWKS, the token, userinfo and revocation endpoints all go
 *   through the vault (no `metadata` to hand-write, even where the OP's CORS names the proxy alone);
 * - `revokeTokensOnSignout: true` with `revokeTokenTypes: ['refresh_token']`: sign-out revokes the
 *   refresh token through the vault, which clears it in every tab;
 * - the stored "user" holds only placeholders ("REDACTED"): sessionStorage is fine;
 * - `resource`: the APIs the rules name (one token per API, RFC 8707), asked for in the
 *   authorization request so that the grant covers each; the vault gets each API's token itself.
 *   The library's own token requests name none: its access token is the OP's, which userinfo
 *   (`loadUserInfo`) accepts.
 */
const resources = config.rules.flatMap((rule) => (rule.resource ? [rule.resource] : []));

export const settings: UserManagerSettings = {
  authority: config.issuer,
  client_id: config.clientId,
  redirect_uri: `${location.origin}/callback`,
  silent_redirect_uri: `${location.origin}/silent.html`,
  post_logout_redirect_uri: `${location.origin}/`,
  response_type: 'code',
  scope: 'openid profile api',
  loadUserInfo: true,
  automaticSilentRenew: false,
  revokeTokensOnSignout: true,
  revokeTokenTypes: ['refresh_token'],
  userStore: new WebStorageStateStore({ store: sessionStorage }),
  ...(resources.length > 0 ? { resource: resources } : {}),
};
