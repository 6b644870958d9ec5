import { discover as discoverWith, type ProviderMetadata } from '@tokenvault/config';
import { upstreamFetch } from './upstream.js';

export type { ProviderMetadata };

/**
 * The OP's discovery document, checked (see `discover` of @tokenvault/config), fetched from the
 * proxy origin the way every upstream request is: no cookies, no referrer, no redirects followed.
 */
export function discover(issuer: string, timeoutMs: number): Promise<ProviderMetadata> {
  return discoverWith(issuer, timeoutMs, (url, ms) => upstreamFetch(url, { headers: { accept: 'application/json' } }, ms));
}
