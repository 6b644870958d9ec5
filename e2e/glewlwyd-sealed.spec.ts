import { glewlwydTests } from './glewlwydTests.js';

// Debian's Glewlwyd as the OP, the vault in sealed mode (the tests: e2e/glewlwydTests.ts).
glewlwydTests('sealed');
