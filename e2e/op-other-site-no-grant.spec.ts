import { OTHER_SITE_DEV_HOST, otherSiteOpTests, test } from './otherSiteOpTests.js';

// The OP on another site, Firefox from a profile whose storage-access heuristics grant the OP's
// frames nothing (e2e/crossSiteOp.ts): what Chromium meets, Firefox meets without a grant.
test.use({ devHostOptions: OTHER_SITE_DEV_HOST, storageAccessHeuristics: false });
otherSiteOpTests(false);
