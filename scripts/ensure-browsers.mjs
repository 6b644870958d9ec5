#!/usr/bin/env node
// Makes sure the browsers the end-to-end tests drive, and the nginx they run against (project
// chromium-nginx), are installed. They come from Debian's packages (Playwright cannot download its
// own here): as root this installs what is missing with apt-get; otherwise it stops and prints the
// exact command.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const browsers = [
  { name: 'Chromium', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', packages: ['chromium'] },
  { name: 'nginx', path: process.env.NGINX_PATH ?? '/usr/sbin/nginx', packages: ['nginx'] },
];

const missing = browsers.filter((browser) => !existsSync(browser.path));
if (missing.length === 0) process.exit(0);

const packages = missing.flatMap((browser) => browser.packages);
const names = missing.map((browser) => browser.name).join(', ');
if (process.getuid?.() !== 0) {
  console.error(`\n${names} not found. Install with:\n\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n`);
  process.exit(1);
}
console.log(`${names} not found: installing ${packages.join(' ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
