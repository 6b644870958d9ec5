// openid-client 6 (which runs in browsers) through the Token Vault: every call is the library's
// own, with "REDACTED" where a token would go.
import { createVault } from '@tokenvault/client';
import * as client from 'openid-client';
import { config, vaultOptions } from 'virtual:tokenvault/config';
import { silentCheck } from './silentCheck.js';
import { mount, show } from './ui.js';

const vault = createVault(vaultOptions);
const issuer = new URL(config.issuer);
const redirectUri = `${location.origin}/callback`;
const silentUri = `${location.origin}/silent.html`;
const scope = 'openid profile api';
const apiUrl = new URL('/v1/profile', config.rules[0].origin);
const PENDING = 'example:pending';
const SESSION = 'example:session';

/** Discovery goes through the vault too: the OP's CORS may name the proxy origin alone. */
const configuration = (async () => {
  await vault.ready;
  // The dev OP is plain http on *.localhost; openid-client refuses that unless told.
  return client.discovery(issuer, config.clientId, undefined, client.None(), issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined);
})();

const session = (): { sub: string; idToken: string } =>
  (JSON.parse(sessionStorage.getItem(SESSION) ?? 'null') as { sub: string; idToken: string } | null) ?? { sub: '', idToken: '' };

async function authorizationUrl(extra: Record<string, string>): Promise<{ url: URL; verifier: string; state: string; nonce: string }> {
  const c = await configuration;
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(c, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verifier, state, nonce };
}

/** Redeems the code of `callback` through the vault; the ID token's nonce is checked (OpenID Connect Core §3.1.3.7). */
async function redeem(callback: URL, pending: { verifier: string; state: string; nonce: string }) {
  return client.authorizationCodeGrant(await configuration, callback, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
}

const actions = {
  async signIn() {
    const { url, verifier, state, nonce } = await authorizationUrl({});
    sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce }));
    location.assign(url);
  },
  async callApi() {
    // "Bearer REDACTED" goes out; the vault puts the real token in.
    const response = await client.fetchProtectedResource(await configuration, 'REDACTED', apiUrl, 'GET');
    return { status: response.status, body: (await response.json()) as unknown };
  },
  async refresh() {
    return client.refreshTokenGrant(await configuration, 'REDACTED');
  },
  async userinfo() {
    return client.fetchUserInfo(await configuration, 'REDACTED', session().sub);
  },
  /** prompt=none with scope openid in a hidden frame: is the OP session still there, for the same user? */
  async sessionStatus() {
    const pending = await authorizationUrl({ prompt: 'none', scope: 'openid', redirect_uri: silentUri, id_token_hint: session().idToken });
    const tokens = await redeem(await silentCheck(pending.url, silentUri), pending);
    const sub = tokens.claims()?.sub;
    return { sub, sameUser: sub === session().sub, scope: tokens.scope };
  },
  async revoke() {
    await client.tokenRevocation(await configuration, 'REDACTED', { token_type_hint: 'access_token' });
    return { revoked: 'access_token' };
  },
  async signOut() {
    const c = await configuration;
    // Revoking the refresh token clears the vault in every tab. (Where the browser has the
    // Navigation API the vault would also see the end-session navigation below and clear itself;
    // WebKit has none yet, so revoke first.)
    await client.tokenRevocation(c, 'REDACTED', { token_type_hint: 'refresh_token' });
    const url = client.buildEndSessionUrl(c, { id_token_hint: session().idToken, post_logout_redirect_uri: `${location.origin}/` });
    sessionStorage.removeItem(SESSION);
    location.assign(url);
  },
};

async function start(): Promise<void> {
  await vault.ready;
  show('status', 'ready');
  if (location.pathname === '/callback') {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; nonce: string };
    sessionStorage.removeItem(PENDING);
    const callback = new URL(location.href);
    history.replaceState(null, '', '/');
    const tokens = await redeem(callback, pending);
    const claims = tokens.claims();
    if (!claims) throw new Error('the token response has no ID token');
    sessionStorage.setItem(SESSION, JSON.stringify({ sub: claims.sub, idToken: tokens.id_token }));
    show('out', tokens); // access_token and refresh_token read "REDACTED"
  }
  const { signedIn } = await vault.status();
  show('user', signedIn ? session().sub || 'signed in' : 'signed out');
}

// Signed out in this tab or another (a revoked refresh token, a sign-out).
vault.addEventListener('signed-out', () => {
  sessionStorage.removeItem(SESSION);
  show('user', 'signed out');
});

const ready = start();
ready.catch((err: unknown) => {
  show('error', String(err));
});
mount(actions, ready);
