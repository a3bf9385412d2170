import type { Dispatcher } from 'undici';
// undici's own fetch, by path (as net/http.ts takes its parts): it takes a dispatcher, so proxies
// and CAs apply as for every other request. Loaded only by the library's createFetch.
import { fetch } from 'undici/lib/web/fetch/index.js';

/** `fetch` through `dispatcher` (net/http.ts buildDispatcher: proxies, CAs, timeouts). */
export const fetchVia =
  (dispatcher: Dispatcher) =>
  (url: string, init: RequestInit): Promise<Response> =>
    fetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
