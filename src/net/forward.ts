import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';

// One request passed on to the API by `gardin-token proxy`, its answer streamed back as it comes.
// Loaded with the proxy only (undici through net/http.ts).

/**
 * Headers that belong to one connection, not to the request or answer passed on (RFC 9110 §7.6.1),
 * and those the proxy sets itself.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const SET_HERE = new Set(['host', 'authorization']);

/** A request's headers as they go on to the API: its own, less the hop-by-hop ones and those set here. */
export function forwardedHeaders(incoming: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const named = new Set(
    String(incoming.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(incoming)) if (v !== undefined && !HOP_BY_HOP.has(k) && !SET_HERE.has(k) && !named.has(k)) out[k] = v;
  return out;
}

/** An answer's headers as the client gets them: the API's own, less the hop-by-hop ones. */
const answerHeaders = (headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
};

export interface ForwardRequest {
  url: URL;
  method: string;
  headers: Record<string, string | string[]>;
  /** Whole, or as a stream (then it cannot be sent twice). */
  body: Buffer | import('node:stream').Readable | undefined;
  timeoutMs: number;
  /** Hold back a 401 (drained, not sent) so that the caller can try again with a new token. */
  holdUnauthorized: boolean;
}

/**
 * Sends the request and streams the answer into `res` (status, headers, body as they come, with
 * backpressure), resolving with its status; or, for a 401 held back, with 'unauthorized' and
 * nothing written. Rejects on a failure before the answer began; one during the body ends `res`.
 */
export function forward(dispatcher: Dispatcher, req: ForwardRequest, res: ServerResponse): Promise<number | 'unauthorized'> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let held = false;
    let status = 0;
    // The client went away: nothing more to pass on.
    const onClose = () => {
      if (!res.writableFinished) controller?.abort(new Error('the client closed the connection'));
    };
    res.once('close', onClose);
    const done = () => res.off('close', onClose);
    dispatcher.dispatch(
      {
        origin: req.url.origin,
        path: req.url.pathname + req.url.search,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body ?? null,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      },
      {
        onRequestStart(c) {
          controller = c;
        },
        onResponseStart(_c, statusCode, headers, statusMessage) {
          if (statusCode < 200) return;
          status = statusCode;
          if (statusCode === 401 && req.holdUnauthorized) {
            held = true;
            return;
          }
          res.writeHead(statusCode, statusMessage ?? '', answerHeaders(headers));
        },
        onResponseData(c, chunk) {
          if (held) return;
          if (!res.write(chunk)) {
            c.pause();
            res.once('drain', () => c.resume());
          }
        },
        onResponseEnd() {
          done();
          if (held) return resolve('unauthorized');
          res.end();
          resolve(status);
        },
        onResponseError(_c, err) {
          done();
          if (status !== 0 && !held) {
            // The answer had begun: the client sees it cut short, as the API cut it.
            res.destroy(err);
            resolve(status);
          } else reject(err);
        },
      },
    );
  });
}
