// The floor for any worker design: a fetch handler that passes the protected requests on unchanged.
// self.BENCH_API_PREFIX is prepended by the server.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (event.request.url.startsWith(self.BENCH_API_PREFIX)) event.respondWith(fetch(event.request));
});
