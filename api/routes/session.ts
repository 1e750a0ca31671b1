import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/middleware';
import type { Principal } from '../auth/principal';
import { SESSION_TTL_MS } from '../auth/auth';
import type { DataContext } from '../context';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { validate } from '../validate';

const SignIn = z.object({ token: z.string().min(1).max(200) });

/**
 * What the browser may know about its caller (never the token). Planners and admins also get the
 * dates of every record, verified or not: the window of their figures with unverified records.
 */
function describe(p: Principal, ctx: DataContext) {
  return {
    principal: {
      role: p.role,
      org: p.org,
      org_name: p.org ? (ctx.aggregatorNames.get(p.org) ?? p.org) : null,
      kelurahan: p.kelurahan,
      label: p.label,
      ...(p.role === 'planner' || p.role === 'admin' ? { records_extent: ctx.fullExtent } : {}),
    },
  };
}

/** Browser sign-in: a token once, then an HttpOnly, SameSite=Strict session cookie. */
export const session = new Hono<AppEnv>()
  .use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'private, no-store');
  })
  // Signed out is an answer, not an error: `{ principal: null }`.
  .get('/', (c) => {
    const p = c.var.principal;
    return c.json(p ? describe(p, c.var.state.ctx) : { principal: null });
  })
  .post('/', validate('json', SignIn), async (c) => {
    const p = c.var.auth.fromToken(c.req.valid('json').token.trim());
    if (!p)
      throw new ApiError(
        401,
        'invalid_token',
        'This token is not valid (unknown, revoked or mistyped).',
      );
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) await c.var.auth.endSession(previous);
    const { cookie } = await c.var.auth.startSession(p);
    setCookie(c, SESSION_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:' || process.env.NODE_ENV === 'production',
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.json(describe(p, c.var.state.ctx));
  })
  .delete('/', async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await c.var.auth.endSession(cookie);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
