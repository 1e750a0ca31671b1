import type { MiddlewareHandler } from 'hono';

/** One access log line: never the query string or a body, which may hold personal data. */
export interface AccessLine {
  time: string;
  id: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** Paths longer than this are cut in the log (a junk URL must not make a junk log). */
const MAX_PATH_CHARS = 256;

/**
 * Writes one JSON line per request after it was answered: when, its request id, the method, the
 * path without its query string, the status and the time taken. Runs inside `requestId()`.
 */
export function accessLog(write: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const path = c.req.path;
      const line: AccessLine = {
        time: new Date().toISOString(),
        id: c.var.requestId,
        method: c.req.method,
        path: path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      write(JSON.stringify(line));
    }
  };
}
