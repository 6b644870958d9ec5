// The sealed demo: the vault is the OAuth client. The app asks it to sign in (vault.signIn()), is
// told who signed in (vault.user(), the ID token's claims) and what happened (typed events), and
// calls the API with plain fetches, which the interceptor hands to the proxy. No OIDC library, no
// code, no verifier, no token on this origin.
import { createVault, type Vault } from '@tokenvault/client';
import { config as kit, vaultOptions } from 'virtual:tokenvault/config';
import './style.css';

declare global {
  interface Window {
    /** For the end-to-end tests and for poking around in DevTools. */
    sealedDemo: { vault: Vault; events: string[]; apiUrl: string; apiUrls: string[] };
  }
}

const $ = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
};
const apiRule = kit.rules.find((rule) => (rule.credential ?? 'access_token') === 'access_token');
if (!apiRule) throw new Error('tokenvault.config.ts has no access-token rule for the demo API');
const apiUrl = new URL('profile', `${apiRule.origin}${apiRule.pathPrefix ?? '/'}`).href;
// Every API with an access-token rule: with `resource` in the rules, each gets a token of its own.
const apiUrls = kit.rules
  .filter((rule) => (rule.credential ?? 'access_token') === 'access_token')
  .map((rule) => new URL('profile', `${rule.origin}${rule.pathPrefix ?? '/'}`).href);

function show(id: string, value: unknown): void {
  $(id).textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function fail(err: unknown): void {
  const code = (err as { code?: unknown }).code;
  show('error', `${typeof code === 'string' ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`);
}

const vault = createVault(vaultOptions);
window.sealedDemo = { vault, events: [], apiUrl, apiUrls };

function logEvent(text: string): void {
  window.sealedDemo.events.push(text);
  const item = document.createElement('li');
  item.textContent = text;
  $('events').append(item);
}

async function showUser(): Promise<void> {
  const claims = await vault.user();
  show('user', claims ? String(claims.sub) : 'signed out');
  show('claims', claims ?? '(none yet)');
}

vault.addEventListener('ready', () => {
  logEvent('ready');
});
vault.addEventListener('signed-in', () => {
  logEvent('signed-in');
  showUser().catch(fail);
});
vault.addEventListener('renewed', () => {
  logEvent('renewed');
});
vault.addEventListener('signed-out', (event) => {
  logEvent(`signed-out: ${(event as CustomEvent<{ reason: string }>).detail.reason}`);
  show('user', 'signed out');
  show('claims', '(none yet)');
});
vault.addEventListener('session-unwatchable', (event) => {
  // The browser keeps the OP's cookies from its frames here: the vault stays signed in and learns
  // of a sign-out at the OP from its refresh instead.
  logEvent(`session-unwatchable: ${(event as CustomEvent<{ reason: string }>).detail.reason}`);
});
vault.addEventListener('error', (event) => {
  const { error } = (event as CustomEvent<{ error: { code: string } }>).detail;
  logEvent(`error: ${error.code}`);
  fail(error);
});

const buttons = ['sign-in', 'sign-in-popup', 'call-api', 'call-apis', 'sign-out'].map((id) => $(id) as HTMLButtonElement);
const on = (id: string, action: () => Promise<void>): void => {
  $(id).addEventListener('click', () => {
    show('error', '');
    // Synchronously in the click: the popup flow opens its window here.
    action().catch(fail);
  });
};
on('sign-in', () => vault.signIn({ returnTo: '/' }));
on('sign-in-popup', () => vault.signIn({ flow: 'popup' }));
on('call-api', async () => {
  // A plain fetch, no Authorization header: the proxy attaches the token.
  const response = await fetch(apiUrl);
  show('api-response', { status: response.status, body: (await response.json()) as unknown });
});
on('call-apis', async () => {
  const answers = await Promise.all(
    apiUrls.map(async (url) => {
      const response = await fetch(url);
      return { url, status: response.status, body: (await response.json()) as unknown };
    }),
  );
  show('apis-response', { answers, status: await vault.status() });
});
on('sign-out', async () => {
  await vault.signOut({ postLogoutRedirectUri: `${location.origin}/` });
});

async function start(): Promise<void> {
  try {
    await vault.ready;
  } catch (err) {
    show('status', 'unavailable');
    fail(err);
    return;
  }
  show('status', 'ready');
  for (const button of buttons) button.disabled = false;
  await showUser();
}

start().catch(fail);
