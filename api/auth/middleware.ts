import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Role } from '../domain';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';

export const SESSION_COOKIE = 'pk_session';

const UNSAFE = /^(POST|PUT|PATCH|DELETE)$/;

/** Whether a browser request comes from this very origin (Origin header, else Sec-Fetch-Site). */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header('Origin');
  if (origin) return origin === new URL(c.req.url).origin;
  return c.req.header('Sec-Fetch-Site') === 'same-origin';
}

/**
 * Resolves the caller: `Authorization: Bearer <token>` for API clients, else the session cookie
 * the browser got at sign-in. A wrong bearer token is 401 at once; a stale cookie is anonymous.
 * Cookie-authenticated writes must come from this origin.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('principal', null);
  c.set('via', null);
  const header = c.req.header('Authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const p = m ? c.var.auth.fromToken(m[1]!) : null;
    if (!p) {
      throw new ApiError(
        401,
        'invalid_token',
        'The token is not valid (unknown, revoked or malformed).',
      );
    }
    c.set('principal', p);
    c.set('via', 'token');
    return next();
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  const p = cookie ? c.var.auth.fromSession(cookie) : null;
  if (p) {
    if (UNSAFE.test(c.req.method) && !sameOrigin(c)) {
      throw new ApiError(
        403,
        'cross_origin',
        'Writes with a session cookie must come from this site.',
      );
    }
    c.set('principal', p);
    c.set('via', 'session');
  }
  return next();
};

/** Lets only the given roles through: no caller → 401, another role → 403. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.var.principal;
    if (!p) throw new ApiError(401, 'unauthenticated', 'Sign in or send a bearer token.');
    if (!roles.includes(p.role)) {
      throw new ApiError(403, 'forbidden', `This needs one of the roles: ${roles.join(', ')}.`);
    }
    return next();
  };
}
