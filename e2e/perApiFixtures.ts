import type { FastifyInstance } from 'fastify';
import type { Page } from '@playwright/test';
import { proxyFrame } from './fixtures.js';
import { apiTokensInPage, type ApiTokens } from './inPage.js';

// What the one-token-per-API specs (per-api*.spec.ts) ask the browser and the dev host.

export type { ApiTokens };

export const apiTokens = (page: Page, devHost: FastifyInstance): Promise<ApiTokens> => proxyFrame(page, devHost).evaluate(apiTokensInPage);
export const audiences = (devHost: FastifyInstance) => ({ api: `${devHost.vault.origins.api}/`, api2: `${devHost.vault.origins.api2}/` });
export const profile = (devHost: FastifyInstance, name: 'api' | 'api2') => `${devHost.vault.origins[name]}/v1/profile`;

/** The `resource` of every successful token grant at the OP from now on ('' for none). */
export function grantsSeen(devHost: FastifyInstance): string[] {
  const seen: string[] = [];
  devHost.vault.provider.on('grant.success', (ctx) => {
    const resource = ctx.oidc.params?.resource;
    seen.push(typeof resource === 'string' ? resource : '');
  });
  return seen;
}

/** A request to one of the sample APIs made by the test itself, in process, with this Authorization header. */
export async function outsideCall(devHost: FastifyInstance, name: 'api' | 'api2', authorization: string): Promise<number> {
  const response = await devHost.inject({ method: 'GET', url: '/v1/profile', headers: { host: new URL(devHost.vault.origins[name]).host, authorization } });
  return response.statusCode;
}
