export { defineConfig, type TokenVaultConfig, type ServiceWorkerConfig } from './defineConfig.js';
export { resolveConfig, sealedRedirectUris, type ResolvedTokenVaultConfig, type AppConfig } from './resolveConfig.js';
export { loadConfig, CONFIG_FILES, type LoadConfigOptions, type LoadedConfig } from './loadConfig.js';
export { kitFiles, type KitFiles } from './kitFiles.js';
export { scriptSafeJson, withConfigBlock, withJsonBlock } from './configBlock.js';
export { renderWorkerScript } from './renderWorkerScript.js';
export { renderAppPage, renderProxyPage, APP_CONFIG_ID, PROXY_CONFIG_ID, PROXY_RESOLVED_CONFIG_ID, type AppPageOptions } from './renderPages.js';
export {
  appCsp,
  appPageHeaders,
  proxyAssetHeaders,
  proxyCsp,
  proxyFlowPageHeaders,
  proxyPageHeaders,
  workerScriptHeaders,
  IMMUTABLE,
  REVALIDATE,
  type AppCspOptions,
  type HeaderMap,
} from './securityHeaders.js';
export { writeProxyOrigin, writeWorker, workerFileName } from './writeBuild.js';
export { serveProxyOrigin, type ProxyOriginFiles, type ProxyOriginServer } from './serveProxyOrigin.js';
export { signInNavigationAllowed, SIGN_IN_REFUSED_PAGE } from './signInNavigation.js';
export { SILENT_CALLBACK_PAGE } from './silentCallbackPage.js';
export { renderNginxSite, nginxTemplatePath, type NginxSiteOptions } from './renderNginxSite.js';
export { runCli, USAGE, type CliIo } from './runCli.js';
export type { ProxyConfig, ResourceRule, Timeouts, SessionCheck, CredentialKind } from '@tokenvault/config';
export { VaultError, type ErrorCode } from '@tokenvault/protocol';
