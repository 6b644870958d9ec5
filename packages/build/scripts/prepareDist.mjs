// Runs after tsc: ships the nginx template (its source is infra/nginx, the production shape) inside
// the package for `npx tokenvault nginx`. (The `tokenvault` bin is the committed bin/tokenvault.js,
// which npm links at install time; it imports dist/cli.js.)
import { cpSync, mkdirSync } from 'node:fs';

const from = new URL('../../../infra/nginx/tokenvault.conf.template', import.meta.url);
const to = new URL('../dist/nginx/', import.meta.url);
mkdirSync(to, { recursive: true });
cpSync(from, new URL('tokenvault.conf.template', to));
