// The drop-in interceptor worker. Serve it with its configuration prepended, for example
//   self.TOKENVAULT_CONFIG = { issuer: "https://op.example.com", rules: [...] };
// (the Vite plugin, the CLI and the dev host do that), and register it from the page with the client.
import type { InterceptorConfig } from '@tokenvault/config';
import { installInterceptor } from './installInterceptor.js';

declare const self: ServiceWorkerGlobalScope & { TOKENVAULT_CONFIG?: InterceptorConfig };

installInterceptor(self.TOKENVAULT_CONFIG as InterceptorConfig);
