import type { Origins } from '@tokenvault/dev-host';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Row, Urls } from './measure.js';

export interface ProfileInput {
  browser: Browser;
  context: BrowserContext;
  rows: readonly Row[];
  urls: Urls;
  origins: Origins;
  quick: boolean;
  log(message: string): void;
}

export async function profileHotPath(_input: ProfileInput): Promise<unknown> {
  return {};
}
