// The ForgeRock Token Vault interceptor (service worker), as its README sets it up; its
// configuration is prepended by the server, like ours, so that the bundle size compares code only.
import { interceptor } from '@forgerock/token-vault';

interceptor(self.TOKENVAULT_CONFIG);
