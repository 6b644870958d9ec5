#!/usr/bin/env node
// The `tokenvault` command's bin, committed so that npm links it at install time: in a checkout of
// the repository, dist/cli.js appears only after `npm run build`, too late for npm to link a bin
// pointing at it. A published package ships dist/, so there the import always succeeds.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(`tokenvault: ${fileURLToPath(cli)} is missing: run \`npm run build\` first (in a checkout of the Token Vault repository, at its root)\n`);
  process.exit(1);
}
await import(cli.href);
