import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves a Vite build's hashed `assets/` for one origin. Their names change with their content, so
 * they may be cached for a year — unless the origin sets its own Cache-Control (`cacheControl: false`).
 */
export async function builtAssets(site: FastifyInstance, dist: string, constraints: { host: RegExp }, cacheControl = true): Promise<void> {
  await site.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    constraints,
    decorateReply: false,
    index: false,
    ...(cacheControl ? { immutable: true, maxAge: '1y' } : { cacheControl: false }),
  });
}
