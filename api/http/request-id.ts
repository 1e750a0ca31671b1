import type { MiddlewareHandler } from 'hono';
import { requestId as honoRequestId } from 'hono/request-id';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * Hono's request id (a proxy's own `X-Request-Id` is kept when it is short and plain, else a new
 * UUID), written on the answer after it is built: an answer a handler returns as a ready
 * `Response` (cache hits, 304s) would otherwise go out without it.
 */
export function requestId(): MiddlewareHandler {
  const assign = honoRequestId({ headerName: REQUEST_ID_HEADER, limitLength: 128 });
  return (c, next) =>
    assign(c, async () => {
      await next();
      c.res.headers.set(REQUEST_ID_HEADER, c.var.requestId);
    });
}
