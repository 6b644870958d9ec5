// The Ping (ForgeRock) JavaScript SDK through the Token Vault: centralized login (the OAuth
// redirect), its token exchange, userinfo, API calls (HttpClient), renewal and logout, unchanged.
// What it stores are JWT-shaped placeholders (placeholder: 'jwt': it revokes without a
// token_type_hint, and the placeholder names the token). Its calls to AM that are not OAuth endpoints (the sessions call
// of FRUser.logout(), embedded login's journeys) are declared in opPassThrough and go from the page.
import { Config, FRUser, HttpClient, TokenManager, UserManager } from '@forgerock/javascript-sdk';
import { createVault } from '@tokenvault/client';
import { config, vaultOptions } from 'virtual:tokenvault/config';
import { mount, show } from './ui.js';

const vault = createVault(vaultOptions);
const apiUrl = new URL('/v1/profile', config.rules[0].origin).href;

// The dev OP is not AM: its OAuth paths are named; `sessions` is the sample AM sessions endpoint on
// its origin (with AM, `serverConfig: { baseUrl: 'https://am.example.com/am/' }` and the default paths).
Config.set({
  clientId: config.clientId,
  redirectUri: `${location.origin}/callback`,
  scope: 'openid profile api',
  realmPath: 'root',
  tokenStore: 'sessionStorage',
  serverConfig: {
    baseUrl: `${config.issuer}/am/`,
    timeout: 5000,
    paths: {
      authorize: '/auth',
      accessToken: '/token',
      userInfo: '/me',
      revoke: '/token/revocation',
      endSession: '/session/end',
      sessions: '/am/json/realms/root/sessions/',
    },
  },
});

const actions = {
  async signIn() {
    // Centralized login: a redirect to the OP's authorization endpoint.
    await TokenManager.getTokens({ login: 'redirect', skipBackgroundRequest: true });
  },
  async callApi() {
    // The SDK adds "Authorization: Bearer <placeholder>"; the vault puts the real token in.
    const response = await HttpClient.request({ url: apiUrl, init: { method: 'GET' }, timeout: 5000 });
    return { status: response.status, body: (await response.json()) as unknown };
  },
  async userinfo() {
    return UserManager.getCurrentUser();
  },
  async renew() {
    // The SDK's renewal: revoke the access token (token=<its placeholder>), then prompt=none in a hidden iframe and a new
    // code exchange, all through the vault. The iframe lands on silent.html, a page without the app.
    const tokens = await TokenManager.getTokens({ forceRenew: true, redirectUri: `${location.origin}/silent.html` });
    return tokens ?? null;
  },
  async signOut() {
    // The sessions call (from the page, with its cookies), revocation (through the vault), then a
    // navigation to the OP's end_session_endpoint.
    await FRUser.logout({ logoutRedirectUri: `${location.origin}/` });
  },
};

async function start(): Promise<void> {
  await vault.ready;
  show('status', 'ready');
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  const state = query.get('state');
  if (location.pathname === '/callback' && code && state) {
    const tokens = await TokenManager.getTokens({ query: { code, state } });
    history.replaceState(null, '', '/');
    show('out', tokens ?? null);
  }
  const { signedIn } = await vault.status();
  show('user', signedIn ? 'signed in' : 'signed out');
}

const ready = start();
ready.catch((err: unknown) => {
  show('error', String(err));
});
mount(actions, ready);
