import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';

/** App-origin script's refresh grant through the worker (by default malformed: no client_id). */
export function appRefreshGrant(page: Page, devHost: FastifyInstance, body = 'grant_type=refresh_token&refresh_token=REDACTED'): Promise<{ status: number; text: string }> {
  return page.evaluate(
    async ({ endpoint, body }) => {
      const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: response.status, text: await response.text() };
    },
    { endpoint: `${devHost.vault.origins.op}/token`, body },
  );
}
