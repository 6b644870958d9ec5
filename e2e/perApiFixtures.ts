import type { FastifyInstance } from 'fastify';
import type { Page } from '@playwright/test';
import { proxyFrame } from './fixtures.js';

// What the one-token-per-API specs (per-api*.spec.ts) ask the browser and the dev host.

export type ApiTokens = Record<string, { accessToken: string; tokenType: string; expiresAt: number | null }>;

/** The proxy's store of the APIs' tokens (TokenStore's `apiTokens`), read in its frame. */
function apiTokensInPage(): Promise<ApiTokens> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('tokenvault');
    open.onerror = () => {
      reject(open.error ?? new Error('IndexedDB request failed'));
    };
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('tokens')) {
        resolve({});
        return;
      }
      const get = db.transaction('tokens').objectStore('tokens').get('apiTokens');
      get.onsuccess = () => {
        resolve((get.result as ApiTokens | undefined) ?? {});
      };
      get.onerror = () => {
        reject(get.error ?? new Error('IndexedDB request failed'));
      };
    };
  });
}

export const apiTokens = (page: Page, devHost: FastifyInstance): Promise<ApiTokens> => proxyFrame(page, devHost).evaluate(apiTokensInPage);
export const audiences = (devHost: FastifyInstance) => ({ api: `${devHost.vault.origins.api}/`, api2: `${devHost.vault.origins.api2}/` });
export const profile = (devHost: FastifyInstance, name: 'api' | 'api2') => `${devHost.vault.origins[name]}/v1/profile`;

/** The `resource` of every successful token grant at the OP from now on ('' for none). */
export function grantsSeen(devHost: FastifyInstance): string[] {
  const seen: string[] = [];
  devHost.vault.provider.on('grant.success', (ctx) => {
    const resource = (ctx.oidc.params)?.resource;
    seen.push(typeof resource === 'string' ? resource : '');
  });
  return seen;
}

/** A request to one of the sample APIs made by the test itself, in process, with this Authorization header. */
export async function outsideCall(devHost: FastifyInstance, name: 'api' | 'api2', authorization: string): Promise<number> {
  const response = await devHost.inject({ method: 'GET', url: '/v1/profile', headers: { host: new URL(devHost.vault.origins[name]).host, authorization } });
  return response.statusCode;
}
