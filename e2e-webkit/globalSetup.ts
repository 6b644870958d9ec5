import type { TestProject } from 'vitest/node';
import { findMiniBrowser, startWebKitWebDriver } from './WebKitWebDriver.js';
import { startXvfb } from './Xvfb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The WebKitWebDriver server the tests open sessions on. */
    webDriverUrl: string;
    /** The MiniBrowser binary the sessions launch. */
    miniBrowser: string;
  }
}

/** Once per run: a virtual display and a WebDriver server; each test opens its own browser session on them. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const miniBrowser = findMiniBrowser();
  const display = await startXvfb();
  let driver;
  try {
    driver = await startWebKitWebDriver(display.display);
  } catch (err) {
    await display.stop();
    throw err;
  }
  project.provide('webDriverUrl', driver.url);
  project.provide('miniBrowser', miniBrowser);
  return async () => {
    await driver.stop();
    await display.stop();
  };
}
