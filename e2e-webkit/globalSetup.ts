import type { TestProject } from 'vitest/node';
import { findMiniBrowser, startWebKitWebDriver } from './WebKitWebDriver.js';
import { startXvfb } from './Xvfb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The WebKitWebDriver servers the tests open sessions on, one per vitest worker. */
    webDriverUrls: string[];
    /** The MiniBrowser binary the sessions launch. */
    miniBrowser: string;
  }
}

/**
 * Once per run: a virtual display and a WebDriver server per worker (each worker's sessions stay
 * on its own server); each test opens its own browser session on them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const miniBrowser = findMiniBrowser();
  const display = await startXvfb();
  const workers = Math.max(1, project.config.maxWorkers);
  const drivers: Awaited<ReturnType<typeof startWebKitWebDriver>>[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(drivers.map((driver) => driver.stop()));
    await display.stop();
  };
  try {
    for (let i = 0; i < workers; i++) drivers.push(await startWebKitWebDriver(display.display));
  } catch (err) {
    await stop();
    throw err;
  }
  project.provide(
    'webDriverUrls',
    drivers.map((driver) => driver.url),
  );
  project.provide('miniBrowser', miniBrowser);
  return stop;
}
