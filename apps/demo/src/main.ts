// A plain SPA doing Authorization Code + PKCE with oauth4webapi, unaware of the vault except for
// createVault(): its token request and its API calls are ordinary fetches, which the interceptor
// hands to the proxy. What it gets back has "REDACTED" where the tokens were.
import { SessionMonitor, createVault, receiveHostSession, type Vault } from '@tokenvault/client';
import * as oauth from 'oauth4webapi';
import { config as kit, vaultOptions } from 'virtual:tokenvault/config';
import './style.css';

interface DemoConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  proxyUrl: string;
  apiUrl: string;
  scope: string;
  /** An empty page of this origin, registered at the OP, where prompt=none re-checks land. */
  silentRedirectUri: string;
  sessionCheckIntervalMs: number;
  /** The host page that may embed this app and hand it a session ID. */
  hostOrigin: string;
  hostApiUrl: string;
  hostSessionTimeoutMs: number;
}

declare global {
  interface Window {
    /** For the end-to-end tests and for poking around in DevTools. */
    demo: { vault: Vault; config: DemoConfig; monitor: SessionMonitor | null; sessionEvents: string[] };
  }
}

const $ = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
};
// The kit's settings come from tokenvault.config.ts (through the Vite plugin); the demo's own have
// defaults that a demo-config block (written by the dev host) may override.
const apiRule = kit.rules.find((rule) => (rule.credential ?? 'access_token') === 'access_token');
if (!apiRule) throw new Error('tokenvault.config.ts has no access-token rule for the demo API');
const hostRule = kit.rules.find((rule) => rule.credential === 'host_session');
const config: DemoConfig = {
  issuer: kit.issuer,
  clientId: kit.clientId,
  proxyUrl: kit.proxyUrl,
  redirectUri: `${location.origin}/callback`,
  apiUrl: new URL('profile', `${apiRule.origin}${apiRule.pathPrefix ?? '/'}`).href,
  scope: 'openid profile api',
  silentRedirectUri: `${location.origin}/silent-callback.html`,
  sessionCheckIntervalMs: 3000,
  hostOrigin: hostRule?.origin ?? '',
  hostApiUrl: hostRule ? new URL('v1/me', `${hostRule.origin}${hostRule.pathPrefix ?? '/'}`).href : '',
  hostSessionTimeoutMs: 10_000,
  ...(JSON.parse(document.getElementById('demo-config')?.textContent || '{}') as Partial<DemoConfig>),
};
// The issuer is plain http on *.localhost in development only; oauth4webapi refuses that unless told.
const insecure = new URL(config.issuer).protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
const client: oauth.Client = { client_id: config.clientId };
const PENDING = 'demo:pending-sign-in';
// What the session monitor needs after a reload: the session_state and the ID token (neither is
// a credential for the API; the tokens stay in the vault).
const SESSION = 'demo:session';

function show(id: string, value: unknown): void {
  $(id).textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function fail(err: unknown): void {
  const code = (err as { code?: unknown }).code;
  show('error', `${typeof code === 'string' ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`);
}

async function discovery(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
}

async function signIn(): Promise<void> {
  const as = await discovery();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  // The verifier is no credential on its own, and it is deleted as soon as the code is redeemed.
  sessionStorage.setItem(PENDING, JSON.stringify({ codeVerifier, state, nonce }));
  if (!as.authorization_endpoint) throw new Error(`${as.issuer} has no authorization_endpoint`);
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    response_type: 'code',
    scope: config.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();
  location.assign(url);
}

async function completeSignIn(): Promise<void> {
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('No sign-in in progress');
  const { codeVerifier, state, nonce } = JSON.parse(pending) as { codeVerifier: string; state: string; nonce: string };
  const as = await discovery();
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), state);
  const sessionState = new URL(location.href).searchParams.get('session_state');
  history.replaceState(null, '', '/');
  // An ordinary token request: the interceptor routes it to the proxy, which keeps the tokens.
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, config.redirectUri, codeVerifier, insecure);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  show('token-response', result);
  show('user', oauth.getValidatedIdTokenClaims(result)?.sub ?? 'unknown');
  if (sessionState && result.id_token) {
    sessionStorage.setItem(SESSION, JSON.stringify({ sessionState, idToken: result.id_token }));
    await monitorSession();
  }
}

/** Watches the OP session (OpenID Connect Session Management) and follows what it says. */
async function monitorSession(): Promise<void> {
  const stored = sessionStorage.getItem(SESSION);
  if (!stored) return;
  const { sessionState, idToken } = JSON.parse(stored) as { sessionState: string; idToken: string };
  window.demo.monitor?.stop();
  const monitor = new SessionMonitor({
    vault,
    issuer: config.issuer,
    clientId: config.clientId,
    sessionState,
    idToken,
    redirectUri: config.silentRedirectUri,
    scope: config.scope,
    intervalMs: config.sessionCheckIntervalMs,
  });
  window.demo.monitor = monitor;
  const record = (name: string): void => {
    window.demo.sessionEvents.push(name);
    show('session', name);
  };
  monitor.addEventListener('unchanged', () => {
    record('unchanged');
  });
  monitor.addEventListener('changed', () => {
    record('changed');
  });
  monitor.addEventListener('renewed', (event) => {
    sessionStorage.setItem(SESSION, JSON.stringify(event.detail));
    record('renewed');
  });
  monitor.addEventListener('signedOut', (event) => {
    sessionStorage.removeItem(SESSION);
    record(`signedOut: ${event.detail.reason}`);
    show('user', 'signed out (at the OP)');
    show('token-response', '(none yet)');
  });
  monitor.addEventListener('unwatchable', (event) => {
    // The OP's frames see no cookies from here: the vault stays signed in; the OP's refusal of a
    // refresh is how a sign-out there is learned.
    record(`unwatchable: ${event.detail.reason}`);
  });
  monitor.addEventListener('error', (event) => {
    record(`error: ${event.detail.error.code}`);
  });
  await monitor.start();
}

/** Embedded by the host page: take its session ID into the vault (the app never keeps it). */
async function takeHostSession(): Promise<void> {
  if (window.parent === window) return;
  show('host-session', 'waiting for the host…');
  let ignored = 0;
  await receiveHostSession(vault, {
    hostOrigin: config.hostOrigin,
    timeoutMs: config.hostSessionTimeoutMs,
    onIgnored: (reason) => {
      show('host-ignored', `(${++ignored} other message${ignored > 1 ? 's' : ''} ignored, last: ${reason})`);
    },
  });
  show('host-session', 'held by the vault');
}

async function callHostApi(): Promise<void> {
  // A plain fetch: the interceptor routes it to the proxy, which adds the host session ID.
  const response = await fetch(config.hostApiUrl);
  show('api-response', { status: response.status, body: (await response.json()) as unknown });
}

async function callApi(): Promise<void> {
  // oauth4webapi sends "Authorization: Bearer REDACTED"; the proxy replaces it with the real token.
  const response = await oauth.protectedResourceRequest('REDACTED', 'GET', new URL(config.apiUrl), undefined, undefined, insecure);
  show('api-response', { status: response.status, body: (await response.json()) as unknown });
}

async function callApiThroughChannel(vault: Vault): Promise<void> {
  const response = await vault.fetch(config.apiUrl);
  show('api-response', { status: response.status, body: (await response.json()) as unknown });
}

const vault = createVault(vaultOptions);
window.demo = { vault, config, monitor: null, sessionEvents: [] };

/** A visible log of what the vault said, newest last. */
function logEvent(text: string): void {
  const item = document.createElement('li');
  item.textContent = text;
  $('events').append(item);
}
vault.addEventListener('control', (event) => {
  const { action } = (event as CustomEvent<{ action: string }>).detail;
  logEvent(`control: ${action}`);
  show('status', `taking control of the page (${action})…`);
});
vault.addEventListener('ready', () => {
  logEvent('ready');
});
vault.addEventListener('signed-in', () => {
  logEvent('signed-in');
});
// The proxy holds the host's session ID (the event never says what it is).
vault.addEventListener('host-session', () => {
  logEvent('host-session');
});
vault.addEventListener('signed-out', () => {
  logEvent('signed-out');
  // Signed out in this tab or another one: there is no session left to watch.
  window.demo.monitor?.stop();
  sessionStorage.removeItem(SESSION);
  show('user', 'signed out');
  show('token-response', '(none yet)');
});

const buttons = ['sign-in', 'call-api', 'call-api-channel', 'call-host-api', 'sign-out'].map((id) => $(id) as HTMLButtonElement);
const on = (id: string, action: () => Promise<void>): void => {
  $(id).addEventListener('click', () => {
    show('error', '');
    action().catch(fail);
  });
};
on('sign-in', signIn);
on('call-api', callApi);
on('call-api-channel', () => callApiThroughChannel(vault));
on('call-host-api', callHostApi);
// Revokes the tokens, clears the vault in every tab, then ends the OP session and comes back here.
on('sign-out', async () => {
  window.demo.monitor?.stop();
  sessionStorage.removeItem(SESSION);
  await vault.logout({ postLogoutRedirectUri: `${location.origin}/` });
});

// Before the vault is ready: the host answers "ready" quickly, and the proxy takes the ID as soon
// as it runs.
takeHostSession().catch((err: unknown) => {
  const code = (err as { code?: unknown }).code;
  show('host-session', typeof code === 'string' ? code : 'failed');
  fail(err);
});

async function start(): Promise<void> {
  try {
    await vault.ready;
  } catch (err) {
    // Without the vault the app does not sign in: its token request would go to the OP directly,
    // and the OP's CORS policy refuses it anyway.
    show('status', 'unavailable');
    fail(err);
    return;
  }
  show('status', 'ready');
  for (const button of buttons) button.disabled = false;
  const here = new URL(location.href);
  if (here.searchParams.has('code') || here.searchParams.has('error')) return completeSignIn();
  const { signedIn } = await vault.status();
  if (signedIn) {
    show('user', 'signed in (tokens in the vault)');
    await monitorSession();
  } else {
    sessionStorage.removeItem(SESSION);
  }
}

start().catch(fail);
