// oauth4webapi through the Token Vault: every call is the library's own, with "REDACTED" where a
// token would go. The vault puts the real token into the one field where it belongs.
import { createVault } from '@tokenvault/client';
import * as oauth from 'oauth4webapi';
import { config, vaultOptions } from 'virtual:tokenvault/config';
import { silentCheck } from './silentCheck.js';
import { mount, show } from './ui.js';

const vault = createVault(vaultOptions);
const issuer = new URL(config.issuer);
const client: oauth.Client = { client_id: config.clientId };
// The dev OP is plain http on *.localhost; oauth4webapi refuses that unless told.
const http = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
const redirectUri = `${location.origin}/callback`;
const silentUri = `${location.origin}/silent.html`;
const scope = 'openid profile api';
const apiUrl = new URL('/v1/profile', config.rules[0].origin);
const PENDING = 'example:pending';
const SESSION = 'example:session';

/** Discovery goes through the vault too: the OP's CORS may name the proxy origin alone. */
const discovery = (async () => {
  await vault.ready;
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, http));
})();

const session = (): { sub: string; idToken: string } =>
  (JSON.parse(sessionStorage.getItem(SESSION) ?? 'null') as { sub: string; idToken: string } | null) ?? { sub: '', idToken: '' };

async function authorizationUrl(extra: Record<string, string>): Promise<{ url: URL; verifier: string; state: string; nonce: string }> {
  const as = await discovery;
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  if (!as.authorization_endpoint) throw new Error(`${as.issuer} has no authorization_endpoint`);
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return { url, verifier, state, nonce };
}

/** Redeems the code of `callback` (through the vault) and checks the ID token's nonce (OpenID Connect Core §3.1.3.7). */
async function redeem(callback: URL, pending: { verifier: string; state: string; nonce: string }, redirect: string): Promise<oauth.TokenEndpointResponse> {
  const as = await discovery;
  const params = oauth.validateAuthResponse(as, client, callback, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirect, pending.verifier, http);
  return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
}

const actions = {
  async signIn() {
    const { url, verifier, state, nonce } = await authorizationUrl({});
    sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce }));
    location.assign(url);
  },
  async callApi() {
    // "Bearer REDACTED" goes out; the vault puts the real token in.
    const response = await oauth.protectedResourceRequest('REDACTED', 'GET', apiUrl, undefined, undefined, http);
    return { status: response.status, body: (await response.json()) as unknown };
  },
  async refresh() {
    const as = await discovery;
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), 'REDACTED', http);
    return oauth.processRefreshTokenResponse(as, client, response);
  },
  async userinfo() {
    const as = await discovery;
    const response = await oauth.userInfoRequest(as, client, 'REDACTED', http);
    return oauth.processUserInfoResponse(as, client, session().sub, response);
  },
  /** prompt=none with scope openid in a hidden frame: is the OP session still there, for the same user? */
  async sessionStatus() {
    const pending = await authorizationUrl({ prompt: 'none', scope: 'openid', redirect_uri: silentUri, id_token_hint: session().idToken });
    const result = await redeem(await silentCheck(pending.url, silentUri), pending, silentUri);
    const sub = oauth.getValidatedIdTokenClaims(result)?.sub;
    return { sub, sameUser: sub === session().sub, scope: result.scope };
  },
  async revoke() {
    const as = await discovery;
    const response = await oauth.revocationRequest(as, client, oauth.None(), 'REDACTED', { ...http, additionalParameters: { token_type_hint: 'access_token' } });
    await oauth.processRevocationResponse(response);
    return { revoked: 'access_token' };
  },
  async signOut() {
    const as = await discovery;
    // Revoking the refresh token clears the vault in every tab; then the OP session ends.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), 'REDACTED', { ...http, additionalParameters: { token_type_hint: 'refresh_token' } }),
    );
    if (!as.end_session_endpoint) throw new Error(`${as.issuer} has no end_session_endpoint`);
    const url = new URL(as.end_session_endpoint);
    url.search = new URLSearchParams({ client_id: config.clientId, id_token_hint: session().idToken, post_logout_redirect_uri: `${location.origin}/` }).toString();
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
    const result = await redeem(callback, pending, redirectUri);
    const claims = oauth.getValidatedIdTokenClaims(result);
    if (!claims) throw new Error('the token response has no ID token');
    sessionStorage.setItem(SESSION, JSON.stringify({ sub: claims.sub, idToken: result.id_token }));
    show('out', result); // access_token and refresh_token read "REDACTED"
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
