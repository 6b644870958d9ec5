import { describe, expect, test } from 'vitest';
import { openApp, useWebKit } from './harness.js';

// The build writes the proxy frame into the app's HTML and createVault takes it (e2e/early-frame.spec.ts,
// Chromium and Firefox): the same in WebKitGTK.
describe("WebKit: the proxy frame in the app's HTML", () => {
  const wk = useWebKit();

  test('the vault takes the frame the HTML started: one proxy frame, its mark removed', async () => {
    const { driver, devHost } = wk;
    const { proxy } = devHost.vault.origins;
    await openApp(wk);
    const frames = await driver.executeScript<{ src: string; marked: boolean }[]>(
      'return [...document.querySelectorAll("iframe")].filter((f) => f.src.startsWith(arguments[0])).map((f) => ({ src: f.src, marked: f.hasAttribute("data-tokenvault-proxy") }));',
      `${proxy}/`,
    );
    expect(frames).toEqual([{ src: `${proxy}/`, marked: false }]);
  });
});
