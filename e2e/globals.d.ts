import type { SessionMonitor, Vault } from '@tokenvault/client';

declare global {
  interface Window {
    /** Set by the demo app. */
    demo: { vault: Vault; config: Record<string, string>; monitor: SessionMonitor | null; sessionEvents: string[] };
    /** Set by the sealed demo app. */
    sealedDemo: { vault: Vault; events: string[]; apiUrl: string };
    /** Set by the sample host page. */
    host: { release(): void };
  }
}
