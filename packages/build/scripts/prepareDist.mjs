// Runs after tsc: ships the nginx template (its source is infra/nginx, the production shape) inside
// the package for `npx tokenvault nginx`, and makes the command executable in a workspace checkout
// (npm does that on install, but tsc writes the file after the install).
import { chmodSync, cpSync, existsSync, mkdirSync } from 'node:fs';

const from = new URL('../../../infra/nginx/tokenvault.conf.template', import.meta.url);
const to = new URL('../dist/nginx/', import.meta.url);
mkdirSync(to, { recursive: true });
cpSync(from, new URL('tokenvault.conf.template', to));
const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
