// Helpers shared by the kit's test suites and the bench: one copy here, not one per suite.
export { defined } from './defined.js';
export { freePort } from './freePort.js';
export { chunkedStream } from './chunkedStream.js';
export { catalogSentences } from './catalogSentences.js';
