import type { Page } from 'playwright-core';
import { burst } from './inPage.js';

/** What the load case counted: requests sent, and how many got each answer. */
export interface LoadResult {
  tabs: number;
  perTab: number;
  sent: number;
  answers: Record<string, number>;
}

/**
 * The load case (issue 21): two tabs of the same app, each with `perPath` protected requests
 * through the worker and `perPath` through `vault.fetch`, all in flight at once. It counts
 * answers, it does not time them: every request must get its real answer (200), none a 502
 * from a browser that ran out of request slots (Chromium's `net::ERR_INSUFFICIENT_RESOURCES`).
 */
export async function measureLoad(tabs: readonly Page[], url: string, perPath: number): Promise<LoadResult> {
  const counts = await Promise.all(tabs.map((tab) => tab.evaluate(burst, { url, perPath })));
  const answers: Record<string, number> = {};
  for (const tab of counts) for (const [status, n] of Object.entries(tab)) answers[status] = (answers[status] ?? 0) + n;
  return { tabs: tabs.length, perTab: 2 * perPath, sent: tabs.length * 2 * perPath, answers };
}
