// oidc-client-ts through the Token Vault: the library's own calls, unchanged. Its token requests,
// refreshes, userinfo and revocation calls go through the vault; what it stores reads "REDACTED".
import { createVault } from '@tokenvault/client';
import { UserManager } from 'oidc-client-ts';
import { config, vaultOptions } from 'virtual:tokenvault/config';
import { settings } from './settings.js';
import { mount, show } from './ui.js';

const vault = createVault(vaultOptions);
const userManager = new UserManager(settings);
const apiUrl = new URL('/v1/profile', config.rules[0].origin);

const actions = {
  async signIn() {
    await userManager.signinRedirect();
  },
  async signInForApi() {
    // The code exchange names the API (RFC 8707 resource): the vault keeps that token in the API's
    // slot, and asks for the sign-in's own (the one userinfo takes) itself.
    const resource = config.rules[0].resource;
    await userManager.signinRedirect(resource ? { extraTokenParams: { resource } } : {});
  },
  async callApi() {
    const user = await userManager.getUser();
    // "Bearer REDACTED": the vault puts the real token in.
    const response = await fetch(apiUrl, { headers: { authorization: `Bearer ${user?.access_token ?? 'REDACTED'}` } });
    return { status: response.status, body: (await response.json()) as unknown };
  },
  async refresh() {
    // With a refresh token (a placeholder here) signinSilent sends a refresh grant.
    const user = await userManager.signinSilent();
    return { access_token: user?.access_token, refresh_token: user?.refresh_token, expires_in: user?.expires_in, scope: user?.scope };
  },
  async userinfo() {
    // loadUserInfo: the profile was loaded from the userinfo endpoint at sign-in, through the vault.
    const user = await userManager.getUser();
    return user?.profile;
  },
  async sessionStatus() {
    // prompt=none, scope=openid in a hidden frame: its code is redeemed through the vault, whose
    // wider token set stays (the narrower answer does not replace it).
    return userManager.querySessionStatus();
  },
  async revoke() {
    await userManager.revokeTokens(['access_token']);
    return { revoked: 'access_token' };
  },
  async signOut() {
    await userManager.signoutRedirect();
  },
  async revokeRefresh() {
    await userManager.revokeTokens(['refresh_token']);
    return { revoked: 'refresh_token' };
  },
};

async function start(): Promise<void> {
  await vault.ready;
  show('status', 'ready');
  if (location.pathname === '/callback') {
    const user = await userManager.signinCallback();
    history.replaceState(null, '', '/');
    show('out', { access_token: user?.access_token, refresh_token: user?.refresh_token, profile: user?.profile });
  }
  const { signedIn } = await vault.status();
  if (!signedIn) await userManager.removeUser(); // signed out elsewhere: forget the placeholders too
  const user = await userManager.getUser();
  show('user', signedIn ? (user?.profile.sub ?? 'signed in') : 'signed out');
}

// Signed out in this tab or another (a revoked refresh token, a sign-out): forget the placeholders.
vault.addEventListener('signed-out', () => {
  void userManager.removeUser();
  show('user', 'signed out');
});

const ready = start();
ready.catch((err: unknown) => {
  show('error', String(err));
});
mount(actions, ready);
