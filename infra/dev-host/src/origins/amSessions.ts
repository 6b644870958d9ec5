import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import { AM_SESSIONS_PATH } from '../examples.js';
import { hostConstraint } from '../origins.js';
import type { OpControls } from './op.js';

export interface AmSessionsOptions {
  provider: Provider;
  controls: OpControls;
  /** The pages that may call it (the example apps' origins): answered with credentialed CORS. */
  appOrigins: readonly string[];
}

/**
 * A small sample of ForgeRock AM's sessions endpoint on the dev OP's origin, standing in for AM's
 * (`POST …/json/realms/root/sessions/?_action=logout`, which the Ping SDK's `FRUser.logout()` calls
 * with the page's own cookies): it ends the OP session that the request's cookie names, as AM ends
 * the session its cookie names, and answers as AM does (`{"result":"Successfully logged out"}`, or
 * 401 without a session). It is not an OAuth endpoint: the vault lets it go from the page as the page
 * made it (declared in `opPassThrough`). Each call is recorded in `controls.amSessionLogouts`.
 */
export async function amSessions(app: FastifyInstance, options: AmSessionsOptions): Promise<void> {
  const constraints = hostConstraint('op');
  const allowed = new Set(options.appOrigins);
  const cors = (origin: string | undefined): Record<string, string> =>
    origin && allowed.has(origin)
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'accept-api-version, x-requested-with, x-requested-platform, content-type, authorization',
          vary: 'origin',
        }
      : {};
  for (const path of [AM_SESSIONS_PATH, `${AM_SESSIONS_PATH}/`]) {
    app.options(path, { constraints }, async (request, reply) => reply.code(204).headers(cors(request.headers.origin)).send());
    app.post<{ Querystring: { _action?: string } }>(path, { constraints }, async (request, reply) => {
      reply.headers({ ...cors(request.headers.origin), 'cache-control': 'no-store' });
      if (request.query._action !== 'logout') return reply.code(400).send({ code: 400, reason: 'Bad Request', message: 'Action not supported' });
      // Session.get reads (and checks the signature of) the OP's own session cookie.
      const session = await options.provider.Session.get({ req: request.raw, res: reply.raw } as unknown as Parameters<Provider['Session']['get']>[0]);
      const accountId = session.accountId ?? null;
      options.controls.amSessionLogouts.push({ accountId });
      if (!accountId) return reply.code(401).send({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
      await session.destroy();
      return reply.send({ result: 'Successfully logged out' });
    });
  }
}
