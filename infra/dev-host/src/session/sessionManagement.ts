import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptSafeJson } from '@tokenvault/build';
import { originConstraint } from '../origins.js';
import { paths } from '../paths.js';
import { browserStateCookie, readBrowserState } from './browserState.js';
import type { CheckSessionClients } from './checkSessionAnswer.js';
import { newBrowserState, newSalt, sessionState } from './sessionState.js';

/** Where the OP serves its check_session_iframe. */
export const CHECK_SESSION_PATH = '/session/check';

// The page's modules, as tsc emitted them; they import each other relatively.
const FRAME_MODULES = ['checkSessionFrame.js', 'checkSessionAnswer.js', 'sessionState.js', 'browserState.js'];

/**
 * Sets a new browser state on the response: when a login is applied to the session (a new user,
 * the same one again), on logout, and when an authorization response finds none. Every RP's
 * session_state then reads "changed" at its next check.
 */
export function rotateBrowserState(setCookie: (value: string) => void, secure: boolean, crossSite = false): string {
  const value = newBrowserState();
  setCookie(browserStateCookie(value, secure, crossSite));
  return value;
}

/** Appends a Set-Cookie header without dropping the ones already set. */
function appendSetCookie(ctx: KoaContextWithOIDC, cookie: string): void {
  ctx.append('Set-Cookie', cookie);
}

/** HTML-escaped as oidc-provider escapes the form_post action. */
function htmlSafe(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The redirect URI an authorization response goes to, if it is one the client registered. */
function redirectUriOf(ctx: KoaContextWithOIDC): string | null {
  const { client } = ctx.oidc;
  const params = ctx.oidc.params ?? (ctx.method === 'POST' ? ctx.oidc.body : ctx.query);
  const uri = params?.redirect_uri;
  if (client && typeof uri === 'string' && client.redirectUriAllowed(uri)) return uri;
  // A client with one redirect URI may leave redirect_uri out.
  return client?.redirectUris?.length === 1 ? client.redirectUris[0] : null;
}

/**
 * How the response answers the client at `redirectUri`: a redirect there (its URL), a form_post
 * (`'posted'`), or not at all (null: one of the OP's own hops, to an interaction or a form).
 */
function answerTo(ctx: KoaContextWithOIDC, redirectUri: string): URL | 'posted' | null {
  const target = new URL(redirectUri);
  const location = ctx.response.get('Location');
  // Relative for the OP's own redirects (to an interaction), absolute for a response to the client.
  const redirected = location !== '' && (ctx.status === 302 || ctx.status === 303) ? new URL(location, ctx.href) : null;
  if (redirected) return redirected.origin === target.origin && redirected.pathname === target.pathname ? redirected : null;
  // form_post renders a form whose action is the redirect URI (other forms, such as the logout
  // confirmation a resumed request can show, post elsewhere and are left alone).
  const posted = typeof ctx.body === 'string' && ctx.body.includes(`<form method="post" action="${htmlSafe(redirectUri)}">`) && ctx.body.includes('</form>');
  return posted ? 'posted' : null;
}

/** Adds session_state to the authorization response `answer` to `redirectUri`, in any response mode oidc-provider redirects or posts with. */
async function addSessionState(
  ctx: KoaContextWithOIDC,
  redirectUri: string,
  answer: URL | 'posted',
  browserState: string | null,
  secure: boolean,
  crossSite: boolean,
): Promise<void> {
  const target = new URL(redirectUri);
  const redirected = answer === 'posted' ? null : answer;

  const current =
    browserState ??
    rotateBrowserState(
      (cookie) => {
        appendSetCookie(ctx, cookie);
      },
      secure,
      crossSite,
    );
  const { client } = ctx.oidc;
  if (!client) throw new Error('an authorization response without a client');
  const state = await sessionState(client.clientId, target.origin, current, newSalt());

  if (redirected) {
    // Fragment mode puts the response in the fragment (a redirect URI never has one); query mode in the query.
    if (redirected.hash.length > 1) {
      const fragment = new URLSearchParams(redirected.hash.slice(1));
      fragment.set('session_state', state);
      redirected.hash = fragment.toString();
    } else {
      redirected.searchParams.set('session_state', state);
    }
    ctx.redirect(redirected.href);
  } else {
    // form_post: one more hidden field. The value is hex, "." and base64url: nothing to escape.
    ctx.body = (ctx.body as string).replace('</form>', `<input type="hidden" name="session_state" value="${state}"/>\n</form>`);
  }
}

/**
 * OpenID Connect Session Management 1.0 for oidc-provider, which dropped its own in v7:
 * every authorization response (success or error, query, fragment or form_post) to a registered
 * redirect URI carries `session_state`, and the OP browser state rotates whenever the session
 * changes hands: when a login (first, again, or as another user) is applied to the session, and on
 * logout. Discovery advertises the frame through the provider's `discovery` configuration.
 *
 * Rotating when the login is applied and the client answered, not when the login form is posted nor
 * at a resume before a consent, matters: an RP that re-checks at once must find the new session, not
 * the old one in the middle of the change (its ID replaced at the next resume).
 * `crossSite`: the OP is on another site than its clients, and its browser-state cookie is
 * `SameSite=None`; `secure` (default: an https issuer) adds `Secure`.
 * @see https://openid.net/specs/openid-connect-session-1_0.html
 */
export function installSessionManagement(provider: Provider, crossSite = false, secure = new URL(provider.issuer).protocol === 'https:'): void {
  // A post-middleware: oidc-provider has already answered (and saved the session); only its
  // response is amended.
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (!oidc || (oidc.route !== 'authorization' && oidc.route !== 'resume')) return;
    const redirectUri = oidc.client ? redirectUriOf(ctx as KoaContextWithOIDC) : null;
    const answer = redirectUri ? answerTo(ctx as KoaContextWithOIDC, redirectUri) : null;
    if (!redirectUri || !answer) return;
    let browserState = readBrowserState(ctx.get('Cookie'));
    // oidc-provider sets `result` on a resumed request only once it applied the result to the
    // session (not when it first has to end another user's session); a consent merges the login
    // before it into its own. Rotated with the answer to the client only: oidc-provider gives the
    // session a new ID at every resume, and the login's resume may be followed by the consent's;
    // an RP told "changed" at the first would re-check with the ID the second deletes, and be told
    // login_required for a session that is there.
    if (oidc.route === 'resume' && (oidc.result as { login?: unknown } | undefined)?.login) {
      browserState = rotateBrowserState(
        (cookie) => {
          appendSetCookie(ctx as KoaContextWithOIDC, cookie);
        },
        secure,
        crossSite,
      );
    }
    await addSessionState(ctx as KoaContextWithOIDC, redirectUri, answer, browserState, secure, crossSite);
  });
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    rotateBrowserState(
      (cookie) => {
        appendSetCookie(ctx, cookie);
      },
      secure,
      crossSite,
    );
  });
}

/** The registered clients and the origins of their redirect URIs, as the check frame needs them. */
export function clientOrigins(clients: readonly { client_id: string; redirect_uris?: readonly string[] }[]): CheckSessionClients {
  return Object.fromEntries(clients.map((client) => [client.client_id, [...new Set((client.redirect_uris ?? []).map((uri) => new URL(uri).origin))]]));
}

/**
 * The check frame's policy: its own module only, framed by registered client origins and
 * `ancestors` only (frame-ancestors covers every ancestor up to the top: a sealed vault's check frame
 * sits in the proxy frame under the app's page, an origin that is no client's redirect origin).
 */
export function checkSessionCsp(clients: CheckSessionClients, ancestors: readonly string[] = []): string {
  ancestors = [...new Set([...Object.values(clients).flat(), ...ancestors])];
  return ["default-src 'none'", "script-src 'self'", `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`, "base-uri 'none'", "form-action 'none'"].join('; ');
}

/** Serves the OP's check_session_iframe page and its modules on the OP origin. */
export async function checkSessionFrame(app: FastifyInstance, options: { clients: CheckSessionClients; opOrigin: string; ancestors?: readonly string[] }): Promise<void> {
  const constraints = originConstraint(options.opOrigin);
  const csp = checkSessionCsp(options.clients, options.ancestors);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OP session check</title>
<script type="application/json" id="check-session-config">${scriptSafeJson({ clients: options.clients })}</script>
<script type="module" src="${CHECK_SESSION_PATH}/checkSessionFrame.js"></script></head><body></body></html>`;
  const modules = new Map(FRAME_MODULES.map((name) => [name, readFileSync(join(paths.checkSession, name), 'utf8')]));

  await app.register(async (site) => {
    site.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cache-control', 'no-store');
    });
    site.get(CHECK_SESSION_PATH, { constraints }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', csp).send(html));
    site.get<{ Params: { name: string } }>(`${CHECK_SESSION_PATH}/:name`, { constraints }, async (request, reply) => {
      const source = modules.get(request.params.name);
      if (source === undefined) return reply.code(404).send({ error: 'not found' });
      return reply.type('text/javascript; charset=utf-8').send(source.replace(/\n\/\/# sourceMappingURL=.*$/, ''));
    });
  });
}
