#!/usr/bin/env node
// Makes sure the browsers the end-to-end tests drive, the nginx they run against (project
// chromium-nginx) and Debian's Glewlwyd (a real OP, e2e/glewlwyd-*.spec.ts) are installed. They come from Debian's
// packages (Playwright cannot download its own here): as root this installs what is missing with
// apt-get. Otherwise it prints the exact command; the suites then run in the engines that are
// installed, except under CI, where every engine is required.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const engines = [
  { name: 'Chromium', files: [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'], packages: ['chromium'] },
  { name: 'Firefox ESR', files: [process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'], packages: ['firefox-esr'] },
  // WebKitGTK: the WebDriver server (its package pulls in libwebkit2gtk and its MiniBrowser) and a
  // virtual display for the browser window.
  {
    name: 'WebKitGTK',
    files: [process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver', process.env.XVFB_PATH ?? '/usr/bin/Xvfb'],
    packages: ['webkit2gtk-driver', 'xvfb'],
  },
  { name: 'nginx', files: [process.env.NGINX_PATH ?? '/usr/sbin/nginx'], packages: ['nginx'] },
  // A real OP nobody here wrote (e2e/glewlwyd-*.spec.ts); its package brings sqlite3 for its database.
  { name: 'Glewlwyd', files: [process.env.GLEWLWYD_PATH ?? '/usr/bin/glewlwyd', '/usr/bin/sqlite3'], packages: ['glewlwyd'] },
];

const missing = engines.filter((engine) => !engine.files.every((file) => existsSync(file)));
if (missing.length === 0) process.exit(0);

const packages = missing.flatMap((engine) => engine.packages);
const names = missing.map((engine) => engine.name).join(', ');
if (process.getuid?.() !== 0) {
  const command = `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
  if (process.env.CI || missing.length === engines.length) {
    console.error(`\n${names} not found. Install with:\n\n  ${command}\n`);
    process.exit(1);
  }
  console.warn(`\n${names} not found: the end-to-end tests will skip ${missing.length === 1 ? 'it' : 'them'}. Install with:\n\n  ${command}\n`);
  process.exit(0);
}
console.log(`${names} not found: installing ${packages.join(' ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
