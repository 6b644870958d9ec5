// Types of the Vite plugin's virtual module. Add "@tokenvault/build/client" to the "types" of the
// app's tsconfig (or `/// <reference types="@tokenvault/build/client" />` in a .d.ts).
declare module 'virtual:tokenvault/config' {
  import type { AppConfig } from '@tokenvault/build';

  /** The app's side of tokenvault.config.ts: issuer, client id, proxy and worker URLs, rules. */
  export const config: Readonly<AppConfig>;
  /** Options for createVault() from @tokenvault/client. */
  export const vaultOptions: Readonly<Pick<AppConfig, 'proxyUrl' | 'serviceWorkerUrl' | 'scope' | 'timeouts'>>;
}
