import { checkApiBase } from '../config/settings.js';
import { apiUrlFor, IDEMPOTENT } from '../net/api-request.js';
import { connectionFailure, GARDIN_API, timeoutFailure, tlsFailure } from '../net/messages.js';
import type { Deps } from '../platform/deps.js';
import { Reporter } from '../platform/reporter.js';
import { systemDeps } from '../platform/system.js';
import { keepToken, type TokenKeeper } from '../token/keeper.js';
import { libraryError, settingsOf, type GetTokenOptions } from './get-token.js';

/** Options of {@link createFetch}: those of `getToken`, and where the API is. */
export interface CreateFetchOptions extends GetTokenOptions {
  /**
   * The API base URL that relative paths are joined to. Default: GARDIN_API_URL, else the
   * profile's API URL, else `https://api.gardin.ag/v1` (as `gardin-token api`).
   */
  apiUrl?: string;
}

/** A `fetch` for the Gardin API: paths relative to its base URL, a fresh token on every request. */
export type GardinFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` that keeps its token fresh: `/fields` goes to `<base URL>/fields` (a full URL must be
 * of the API's origin: the token goes nowhere else), with `Authorization: Bearer` set to a token
 * renewed ahead of expiry through the same cache as `getToken` (so a fleet still makes one request
 * per token lifetime). A 401 gets one new token and one more try, for an idempotent method or a
 * body it holds (not a stream). Rejects with the library's error classes; an abort by the
 * caller's own signal rejects as fetch does.
 *
 * @example
 * const api = createFetch({ scope: 'data.indices:query' });
 * const fields = await (await api('/fields')).json();
 */
export function createFetch(options: CreateFetchOptions = {}): GardinFetch {
  return createFetchWith(options, systemDeps());
}

/** A body that can be sent twice: anything but a stream. */
const replayable = (body: RequestInit['body']): boolean =>
  body == null ||
  typeof body === 'string' ||
  body instanceof ArrayBuffer ||
  ArrayBuffer.isView(body) ||
  body instanceof URLSearchParams ||
  body instanceof Blob ||
  body instanceof FormData;

/**
 * {@link createFetch} with its dependencies passed in (tests).
 * @internal
 */
export function createFetchWith(options: CreateFetchOptions, deps: Deps): GardinFetch {
  // Set up on the first call, so that a bad option rejects that call, as every other failure does.
  let ready: Promise<{ base: URL; keeper: TokenKeeper; send: (url: string, init: RequestInit) => Promise<Response>; timeoutS: number }> | undefined;
  const setup = async () => {
    const settings = settingsOf(options, deps);
    const base = checkApiBase(settings.apiUrl.value, settings.apiUrl.source);
    const keeper = keepToken(settings, deps, new Reporter(deps.io, { verbose: false, quiet: true }), { background: false });
    const { buildDispatcher } = await import('../net/http.js');
    const { fetchVia } = await import('../net/fetch.js');
    // --timeout bounds each wait for an answer's headers and each silence in its body, not a
    // long download as a whole.
    const idleMs = settings.timeoutMs.value;
    const dispatcher = deps.dispatcher ?? buildDispatcher(base, deps.env, settings.caFile?.value, idleMs, { headersTimeout: idleMs, bodyTimeout: idleMs });
    return { base, keeper, send: fetchVia(dispatcher), timeoutS: idleMs / 1000 };
  };

  return async (input, init = {}) => {
    let url: string | undefined;
    try {
      const { base, keeper, send, timeoutS } = await (ready ??= setup());
      url = apiUrlFor(base, String(input));
      const withToken = (token: string): RequestInit => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        return { ...init, headers };
      };
      const token = (await keeper.current()).accessToken;
      let response = await attempt(() => send(url!, withToken(token)), url, timeoutS);
      if (response.status === 401 && (IDEMPOTENT.has((init.method ?? 'GET').toUpperCase()) || replayable(init.body))) {
        // Revoked or expired early: one new token, one more try.
        await response.body?.cancel();
        response = await attempt(async () => send(url!, withToken((await keeper.renew(token)).accessToken)), url, timeoutS);
      }
      return response;
    } catch (err) {
      if ((err as Error)?.name === 'AbortError' && init.signal?.aborted) throw err;
      throw libraryError(err);
    }
  };
}

/** A request whose failure to get an answer becomes the library's NetworkError. */
async function attempt(send: () => Promise<Response>, url: string, timeoutS: number): Promise<Response> {
  try {
    return await send();
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode !== undefined || (err as Error)?.name === 'AbortError') throw err;
    const { describeNetworkError } = await import('../net/http.js');
    const failure = describeNetworkError((err as { cause?: unknown }).cause ?? err);
    if (failure.kind === 'timeout') throw timeoutFailure(timeoutS, url, [], undefined, GARDIN_API);
    if (failure.kind === 'tls') throw tlsFailure(failure.reason, url, failure.code, GARDIN_API);
    throw connectionFailure(failure.reason, url, [], GARDIN_API);
  }
}
