// What an app ships of our client (for the size comparison).
export { createVault } from '@tokenvault/client';
