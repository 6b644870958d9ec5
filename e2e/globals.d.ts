import type { Vault } from '@tokenvault/client';

declare global {
  interface Window {
    /** Set by the demo app. */
    demo: { vault: Vault; config: Record<string, string> };
  }
}
