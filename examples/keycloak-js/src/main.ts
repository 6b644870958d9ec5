// keycloak-js 26 through the Token Vault, in generic OpenID Connect mode (`oidcProvider`): the
// library's own calls, unchanged. It decodes the access and the refresh token, so the vault answers
// with JWT-shaped placeholders (`placeholder: 'jwt'`): `keycloak.token` is readable and its claims
// are the token's, but it verifies nowhere, and only the vault can use it.
import { createVault } from '@tokenvault/client';
import Keycloak from 'keycloak-js';
import { config, vaultOptions } from 'virtual:tokenvault/config';
import { mount, show } from './ui.js';

const vault = createVault(vaultOptions);
const keycloak = new Keycloak({ clientId: config.clientId, oidcProvider: config.issuer });
const apiUrl = new URL('/v1/profile', config.rules[0].origin);

const actions = {
  token() {
    return Promise.resolve({ token: keycloak.token, tokenParsed: keycloak.tokenParsed, refreshToken: keycloak.refreshToken, refreshTokenParsed: keycloak.refreshTokenParsed });
  },
  async callApi() {
    // keycloak.token is the placeholder: the vault puts the real token in the Authorization header.
    const response = await fetch(apiUrl, { headers: { authorization: `Bearer ${keycloak.token ?? ''}` } });
    return { status: response.status, body: (await response.json()) as unknown };
  },
  async refresh() {
    // A forced refresh grant with the refresh token's placeholder, which the vault swaps for the token.
    const refreshed = await keycloak.updateToken(-1);
    return { refreshed, token: keycloak.token, tokenParsed: keycloak.tokenParsed };
  },
  async signOut() {
    // A navigation to the OP's end_session_endpoint: the vault revokes and clears before it leaves.
    await keycloak.logout({ redirectUri: `${location.origin}/` });
  },
};

async function start(): Promise<void> {
  // The worker must control the page before the library's first request (discovery).
  await vault.ready;
  show('status', 'ready');
  // login-required: an unauthenticated page goes to the OP's sign-in at once. No check-login
  // iframe: in generic OIDC mode keycloak-js would need Keycloak's own.
  const authenticated = await keycloak.init({
    onLoad: 'login-required',
    redirectUri: `${location.origin}/callback`,
    responseMode: 'query',
    pkceMethod: 'S256',
    checkLoginIframe: false,
    scope: 'openid profile api',
  });
  if (location.pathname === '/callback') history.replaceState(null, '', '/');
  show('user', authenticated ? (keycloak.tokenParsed?.sub ?? 'signed in') : 'signed out');
  show('out', { token: keycloak.token, tokenParsed: keycloak.tokenParsed });
}

const ready = start();
ready.catch((err: unknown) => {
  show('error', String(err));
});
mount(actions, ready);
