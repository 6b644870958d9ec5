// A reference for the size floor of a workbox-routing worker: one route, passed on unchanged.
import { registerRoute } from 'workbox-routing';

registerRoute(
  ({ url }) => url.href.startsWith(self.BENCH_API_PREFIX),
  ({ request }) => fetch(request),
);
