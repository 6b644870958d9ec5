import { OTHER_SITE_DEV_HOST, otherSiteOpTests, test } from './otherSiteOpTests.js';

// The OP on another site, every engine with its cookie defaults as shipped (e2e/otherSiteOpTests.ts).
test.use({ devHostOptions: OTHER_SITE_DEV_HOST, storageAccessHeuristics: true });
otherSiteOpTests(true);
