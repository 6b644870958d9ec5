// Bundlers replace `process.env.NODE_ENV` (Vite, webpack, Rollup's replace plugin, esbuild --define):
// the kit's long messages and development checks sit behind it, as in workbox, and drop out of
// production bundles. The drop-in worker and the proxy page are built with it set to "production".
declare const process: { readonly env: { readonly NODE_ENV?: string } };
