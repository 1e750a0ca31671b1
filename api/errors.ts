import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

/** An error meant for the client: its code, message and details are safe to show. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    /** Headers the answer carries besides the JSON body (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

export function errorBody(code: string, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}

/** A 404 must not be kept by any cache: the thing may exist after the next deploy. */
const NOT_FOUND_CACHE = 'no-store';

export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status, err.headers);
  }
  if (err instanceof HTTPException && err.status < 500) {
    return c.json(errorBody('bad_request', err.message || 'Bad request'), err.status);
  }
  // One JSON line with the path only: a query string may hold personal data.
  console.error(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'error',
      id: c.get('requestId') ?? null,
      method: c.req.method,
      path: c.req.path,
      error: err.message,
      stack: err.stack ?? null,
    }),
  );
  return c.json(
    errorBody('internal_error', 'Something went wrong on our side; it has been logged.'),
    500,
  );
}

export function handleNotFound(c: Context): Response {
  return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404, {
    'Cache-Control': NOT_FOUND_CACHE,
  });
}
