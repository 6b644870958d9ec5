import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { readBrowserState } from '../src/session/browserState.js';
import { checkSessionAnswer } from '../src/session/checkSessionAnswer.js';
import { sessionState } from '../src/session/sessionState.js';
import { defined } from '@tokenvault/test-support';

const PORT = 8298;
const OP_HOST = `op.vault.localhost:${PORT}`;
// The drop-in demo's client `demo` and its origin: the codes come back to the app origin there.
const APP = `http://dropin.vault.localhost:${PORT}`;
const clients = { demo: [APP] };
let app: FastifyInstance;

beforeAll(async () => {
  app = await build({ port: PORT, demo: 'drop-in' });
});
afterAll(async () => {
  await app.close();
});

/** A cookie jar for app.inject: keeps the latest value of every cookie the OP sets. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string }[]) {
      if (cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }
  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  get browserState(): string | null {
    return readBrowserState(this.header);
  }
}

async function op(jar: Jar, method: 'GET' | 'POST', url: string, payload?: string): Promise<LightMyRequestResponse> {
  const path = url.startsWith('http') ? url.slice(new URL(url).origin.length) : url;
  return jar.take(
    await app.inject({
      method,
      url: path,
      headers: { host: OP_HOST, cookie: jar.header, ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(payload ? { payload } : {}),
    }),
  );
}

function authorizeUrl(extra: Record<string, string> = {}): string {
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  return `/auth?${new URLSearchParams({
    client_id: 'demo',
    redirect_uri: `${APP}/callback`,
    response_type: 'code',
    scope: 'openid',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  })}`;
}

/** Signs in through the real interaction routes; returns the final redirect to the app. */
async function signIn(jar: Jar, username = 'alice', password = 'wonderland'): Promise<URL> {
  let response = await op(jar, 'GET', authorizeUrl({ prompt: 'login' }));
  const interaction = response.headers.location as string;
  expect(interaction).toMatch(/^\/interaction\//);
  response = await op(jar, 'POST', `${interaction}/login`, new URLSearchParams({ username, password }).toString());
  // Follow the OP's own redirects (resume, consent) until it answers the app.
  for (let hops = 0; hops < 8; hops++) {
    if (response.statusCode === 200) {
      // Another user was signed in: the OP first ends that session with a self-submitting form.
      const action = defined(/<form method="post" action="([^"]+)">/.exec(response.body))[1];
      const fields = [...response.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]);
      response = await op(jar, 'POST', action, new URLSearchParams(fields).toString());
      continue;
    }
    const location = response.headers.location as string;
    expect(response.statusCode).toBe(303);
    if (location.startsWith(APP)) return new URL(location);
    response = await op(jar, 'GET', location);
  }
  throw new Error('the OP never answered the app');
}

describe('discovery', () => {
  it('advertises the check_session_iframe', async () => {
    const response = await app.inject({ url: '/.well-known/openid-configuration', headers: { host: OP_HOST } });
    expect(response.json<Record<string, unknown>>().check_session_iframe).toBe(`http://${OP_HOST}/session/check`);
  });
});

describe('the check_session_iframe page', () => {
  it('may be framed by registered client origins only, and runs only its own module', async () => {
    const response = await app.inject({ url: '/session/check', headers: { host: OP_HOST } });
    expect(response.statusCode).toBe(200);
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain(`frame-ancestors ${APP}`);
    // The demo's app origin, the example apps' (each its own OP client) and the sealed client's
    // redirect origin, the proxy origin; and the sealed app's origin, the top of its vault's check
    // frame (app → proxy frame → check frame), which is no client's redirect origin; nothing else.
    const examples = app.vault.examples.map((example) => example.app);
    const proxy = APP.replace('dropin.vault', 'proxy.vault');
    const sealedApp = APP.replace('dropin.vault', 'app.vault');
    expect(defined(csp.split(';').find((d) => d.includes('frame-ancestors'))).trim()).toBe(`frame-ancestors ${[APP, ...examples, proxy, sealedApp].join(' ')}`);
    expect(csp).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const config = /<script type="application\/json" id="check-session-config">(.*?)<\/script>/.exec(response.body);
    // Every registered client with its redirect origins: the demo's, each example app's, the sealed one's.
    expect(JSON.parse(defined(config)[1])).toEqual({
      clients: { ...clients, ...Object.fromEntries(app.vault.examples.map((example) => [example.clientId, [example.app]])), sealed: [proxy] },
    });
  });

  it('serves its modules, and nothing else from that path', async () => {
    const module = await app.inject({ url: '/session/check/checkSessionFrame.js', headers: { host: OP_HOST } });
    expect(module.statusCode).toBe(200);
    expect(module.headers['content-type']).toMatch(/^text\/javascript/);
    expect(module.body).toContain("from './checkSessionAnswer.js'");
    const other = await app.inject({ url: '/session/check/build.js', headers: { host: OP_HOST } });
    expect(other.statusCode).toBe(404);
  });
});

describe('session_state on authorization responses', () => {
  it('is on an error response (prompt=none without a session), computed from the browser state set with it', async () => {
    const jar = new Jar();
    const response = await op(jar, 'GET', authorizeUrl({ prompt: 'none' }));
    expect(response.statusCode).toBe(303);
    const location = new URL(response.headers.location as string);
    expect(location.origin + location.pathname).toBe(`${APP}/callback`);
    expect(location.searchParams.get('error')).toBe('login_required');
    const state = defined(location.searchParams.get('session_state'));
    expect(state).toMatch(/^[0-9a-f]{64}\.[A-Za-z0-9_-]+$/);
    expect(jar.browserState).not.toBeNull();
    expect(state).toBe(await sessionState('demo', APP, defined(jar.browserState), state.split('.')[1]));
  });

  it('is in the fragment of a fragment-mode error response', async () => {
    const jar = new Jar();
    const response = await op(jar, 'GET', authorizeUrl({ prompt: 'none', response_mode: 'fragment' }));
    const location = new URL(response.headers.location as string);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('error')).toBe('login_required');
    expect(fragment.get('session_state')).toMatch(/^[0-9a-f]{64}\./);
    expect(location.searchParams.has('session_state')).toBe(false);
  });

  it('is a field of a form_post error response', async () => {
    const jar = new Jar();
    const response = await op(jar, 'GET', authorizeUrl({ prompt: 'none', response_mode: 'form_post' }));
    expect(response.headers['content-type']).toMatch(/html/);
    expect(response.body).toMatch(/<input type="hidden" name="error" value="login_required"\/>/);
    expect(response.body).toMatch(/<input type="hidden" name="session_state" value="[0-9a-f]{64}\.[A-Za-z0-9_-]+"\/>/);
  });

  it('is on a successful response after the real login form, and the check frame answers unchanged for it', async () => {
    const jar = new Jar();
    const callback = await signIn(jar);
    expect(callback.searchParams.get('code')).toBeTruthy();
    const state = defined(callback.searchParams.get('session_state'));
    expect(await checkSessionAnswer(`demo ${state}`, APP, clients, jar.browserState)).toBe('unchanged');
  });

  it('is not added to an error the OP shows itself (redirect_uri not registered)', async () => {
    const jar = new Jar();
    const response = await op(jar, 'GET', authorizeUrl({ prompt: 'none', redirect_uri: 'http://evil.localhost:8298/callback' }));
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).not.toContain('session_state');
  });
});

describe('the browser state', () => {
  it('rotates on login, so a session_state from before reads changed', async () => {
    const jar = new Jar();
    const before = defined(new URL((await op(jar, 'GET', authorizeUrl({ prompt: 'none' }))).headers.location as string).searchParams.get('session_state'));
    const first = jar.browserState;
    await signIn(jar);
    expect(jar.browserState).not.toBe(first);
    expect(await checkSessionAnswer(`demo ${before}`, APP, clients, jar.browserState)).toBe('changed');
  });

  it('rotates when the login is applied to the session, not when the login form is posted', async () => {
    const jar = new Jar();
    await op(jar, 'GET', authorizeUrl({ prompt: 'none' }));
    const first = jar.browserState;
    const interaction = (await op(jar, 'GET', authorizeUrl({ prompt: 'login' }))).headers.location as string;
    const posted = await op(jar, 'POST', `${interaction}/login`, new URLSearchParams({ username: 'alice', password: 'wonderland' }).toString());
    // Still the old session: an RP that re-checked now would find it unchanged, so nothing moved yet.
    expect(jar.browserState).toBe(first);
    let response = await op(jar, 'GET', posted.headers.location as string);
    // The OP's own hops (the first-party consent) end with the answer to the app, which rotates it.
    while (!(response.headers.location as string).startsWith(APP)) response = await op(jar, 'GET', response.headers.location as string);
    expect(jar.browserState).not.toBe(first);
  });

  it('rotates with the answer to the client, not at the login before a consent: an RP re-checking at once finds the session', async () => {
    // Signed in to `demo` with scope openid; then a sign-in asking for more (profile) needs a
    // consent after the login: two resumes, and oidc-provider gives the session a new ID at each.
    const jar = new Jar();
    const before = defined((await signIn(jar)).searchParams.get('session_state'));
    const interaction = (await op(jar, 'GET', authorizeUrl({ prompt: 'login', scope: 'openid profile' }))).headers.location as string;
    const posted = await op(jar, 'POST', `${interaction}/login`, new URLSearchParams({ username: 'alice', password: 'wonderland' }).toString());
    const loginResumed = await op(jar, 'GET', posted.headers.location as string);
    expect(loginResumed.headers.location).toMatch(/^\/interaction\//);
    // The login is applied, the consent to come: what another tab's RP holds and would send now.
    const midway = new Jar();
    for (const [name, value] of jar.cookies) midway.cookies.set(name, value);
    expect(await checkSessionAnswer(`demo ${before}`, APP, clients, midway.browserState)).toBe('unchanged');
    const consentResumed = await op(jar, 'GET', (await op(jar, 'GET', loginResumed.headers.location as string)).headers.location as string);
    expect(consentResumed.headers.location).toMatch(new RegExp(`^${APP}/callback\\?`));
    expect(await checkSessionAnswer(`demo ${before}`, APP, clients, jar.browserState)).toBe('changed');
    // Why the midway state must not read "changed": its session ID is gone, a re-check with it
    // gets login_required; the one the answer set finds the session.
    const stale = new URL((await op(midway, 'GET', authorizeUrl({ prompt: 'none' }))).headers.location as string);
    expect(stale.searchParams.get('error')).toBe('login_required');
    const fresh = new URL((await op(jar, 'GET', authorizeUrl({ prompt: 'none' }))).headers.location as string);
    expect(fresh.searchParams.get('code')).toBeTruthy();
  });

  it('rotates when another user signs in (account switch)', async () => {
    const jar = new Jar();
    const alice = defined((await signIn(jar)).searchParams.get('session_state'));
    await signIn(jar, 'bob', 'builder');
    expect(await checkSessionAnswer(`demo ${alice}`, APP, clients, jar.browserState)).toBe('changed');
  });

  it('stays for a prompt=none re-check of the same session, which gets a new session_state that reads unchanged', async () => {
    const jar = new Jar();
    await signIn(jar);
    const browserState = jar.browserState;
    const response = await op(jar, 'GET', authorizeUrl({ prompt: 'none' }));
    const location = new URL(response.headers.location as string);
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(jar.browserState).toBe(browserState);
    expect(await checkSessionAnswer(`demo ${defined(location.searchParams.get('session_state'))}`, APP, clients, jar.browserState)).toBe('unchanged');
  });

  it('rotates on logout at the OP', async () => {
    const jar = new Jar();
    const state = defined((await signIn(jar)).searchParams.get('session_state'));
    const page = await op(jar, 'GET', '/session/end');
    const xsrf = defined(/name="xsrf" value="([^"]+)"/.exec(page.body))[1];
    const confirm = await op(jar, 'POST', '/session/end/confirm', new URLSearchParams({ xsrf, logout: 'yes' }).toString());
    expect(confirm.statusCode).toBe(303);
    expect(await checkSessionAnswer(`demo ${state}`, APP, clients, jar.browserState)).toBe('changed');
  });
});
