import { test } from './crossSiteOp.js';
import { expectCheckTimeout, expectChecksEvery } from './sessionCheckInterval.js';

// sessionCheck (the proxy's session check times) with the OP on another site, each engine with the
// cookie policy it ships (e2e/crossSiteOp.ts; WebKitGTK: e2e-webkit/sessionCheck.test.ts). Where the
// OP's frames under the app see the OP's cookies (Firefox after its storage-access heuristics granted
// them at the top-level sign-in), the watch goes on and asks at the configured interval. Where they
// do not (Chromium), the watch stops at its first check (`session-unwatchable`, e2e/otherSiteOpTests.ts)
// and no interval follows.
const TIMES = { intervalMs: 60_000, timeoutMs: 30_000 };
test.use({ devHostOptions: { demo: 'sealed', opSite: 'other', sessionCheck: TIMES } });
const BLIND = "Chromium's frames under the app see no cookies of the OP's site: the watch stops at its first check, no interval follows";

test('OP on another site: the proxy frame asks the check_session_iframe every sessionCheck.intervalMs', async ({ page, devHost, browserName }) => {
  test.skip(browserName === 'chromium', BLIND);
  await expectChecksEvery(page, devHost, TIMES.intervalMs);
});

test('OP on another site: a check the OP never answers is TV_SESSION_CHECK_FAILED after sessionCheck.timeoutMs, not before', async ({ page, devHost, browserName }) => {
  test.skip(browserName === 'chromium', BLIND);
  await expectCheckTimeout(page, devHost, TIMES);
});
