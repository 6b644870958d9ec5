import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@tokenvault/test-support';

/** A running WebKitWebDriver (the WebDriver server of WebKitGTK). */
export interface WebDriverServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * WebKitGTK's MiniBrowser, from Debian's libwebkit2gtk package. It is not on PATH: its directory
 * carries the multiarch triplet and the API version, so look for it.
 */
export function findMiniBrowser(): string {
  const fromEnv = process.env.WEBKIT_MINIBROWSER;
  if (fromEnv) return fromEnv;
  for (const lib of ['/usr/lib', '/usr/libexec']) {
    if (!existsSync(lib)) continue;
    const candidates = [lib, ...readdirSync(lib).map((name) => join(lib, name))];
    for (const dir of candidates) {
      for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
        const binary = join(dir, api, 'MiniBrowser');
        if (existsSync(binary)) return binary;
      }
    }
  }
  throw new Error('WebKitGTK MiniBrowser not found: install webkit2gtk-driver (node scripts/ensure-browsers.mjs), or set WEBKIT_MINIBROWSER');
}

/** Starts WebKitWebDriver on a free loopback port with `display` as the X display of the browsers it launches. */
export async function startWebKitWebDriver(display: string, binary = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver', timeoutMs = 10_000): Promise<WebDriverServer> {
  const port = await freePort();
  const child = spawn(binary, [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DISPLAY: display, WAYLAND_DISPLAY: '' },
  });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('error', (err) => {
      reject(new Error(`WebKitWebDriver could not be started (${binary}): ${err.message}`));
    });
    child.once('exit', (code) => {
      reject(new Error(`WebKitWebDriver exited with ${String(code)}: ${stderr.trim()}`));
    });
  });
  exited.catch(() => {});
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGTERM');
    });
  // The server answers /status once it listens: poll that (no fixed sleep).
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const up = await Promise.race([
      fetch(`${url}/status`).then(
        (response) => response.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`WebKitWebDriver did not answer on ${url} within ${timeoutMs} ms: ${stderr.trim()}`);
}
