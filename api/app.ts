import { Hono, type MiddlewareHandler } from 'hono';
import type { Auth } from './auth/auth';
import { authenticate } from './auth/middleware';
import type { Boundaries } from './boundaries';
import { DEFAULT_CACHE_BYTES, responseCache, type ResponseCache } from './cache';
import type { Database } from './db/database';
import type { AppEnv } from './env';
import { handleError, handleNotFound } from './errors';
import type { Locator } from './geo/locate';
import { accessLog } from './http/access-log';
import { Admission } from './http/admission';
import { publicReadCors } from './http/cors';
import { requestId } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import { clientFiles } from './http/static-files';
import { openApiDocument } from './openapi';
import { areas } from './routes/areas';
import { audit } from './routes/audit';
import { batches } from './routes/batches';
import { boundaries } from './routes/boundaries';
import { choropleth } from './routes/choropleth';
import { distributions } from './routes/distributions';
import { exports } from './routes/export';
import { gaps } from './routes/gaps';
import { health } from './routes/health';
import { institutions } from './routes/institutions';
import { meta } from './routes/meta';
import { records } from './routes/records';
import { session } from './routes/session';
import { summary } from './routes/summary';
import { timeseries } from './routes/timeseries';
import type { StateHolder } from './state';

export interface AppDeps {
  /** Built client (vite build output); served for every path outside /api. */
  clientDir?: string;
  db: Database;
  holder: StateHolder;
  auth: Auth;
  boundaries: Boundaries;
  /** The point-in-polygon locator, loaded on first use. */
  locator: () => Locator;
  /** An online MapLibre style URL for the client's basemap; unset keeps the offline style. */
  mapStyleUrl?: string;
  /** The response cache of public answers; one with the default budget when absent. */
  cache?: ResponseCache;
  /** Where access log lines go (one JSON object per line); nowhere when absent. */
  accessLog?: (line: string) => void;
  /** Admission control of requests that query the store; the default limits when absent. */
  admission?: Admission;
}

/** Public aggregates change only with the public version; browsers may reuse them for a while. */
export const DATA_CACHE_CONTROL = 'public, max-age=300';

/** Builds the HTTP app without listening, so tests and the server share it. */
export function createApp(deps: AppDeps) {
  const cached = (
    deps.cache ?? responseCache({ maxBytes: DEFAULT_CACHE_BYTES, cacheControl: DATA_CACHE_CONTROL })
  ).middleware;
  const admission = (deps.admission ?? new Admission()).middleware;
  /** Reads wait for a query slot; writes queue on the writer instead. */
  const admit: MiddlewareHandler<AppEnv> = (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? admission(c, next) : next();
  const api = new Hono<AppEnv>()
    .use(async (c, next) => {
      // One state snapshot per request: a commit while it runs does not mix versions.
      const state = deps.holder.current;
      c.set('db', deps.db);
      c.set('holder', deps.holder);
      c.set('state', state);
      c.set('ctx', state.ctx);
      c.set('auth', deps.auth);
      c.set('boundaries', deps.boundaries);
      c.set('locator', deps.locator);
      c.set('mapStyleUrl', deps.mapStyleUrl);
      await next();
    })
    .use(authenticate)
    .route('/health', health)
    .route('/boundaries', boundaries)
    .get('/openapi.json', (c) => c.json(openApiDocument(c.var.state.publicVersion)))
    .route('/session', session)
    .route('/distributions', distributions)
    .use('/batches/*', admit)
    .use('/records/*', admit)
    .use('/audit', admit)
    .route('/batches', batches)
    .route('/records', records)
    .route('/audit', audit)
    // The cache first: a hit never waits for a query slot.
    .use('/meta', cached, admit)
    .use('/summary', cached, admit)
    .use('/choropleth', cached, admit)
    .use('/gaps', cached, admit)
    .use('/timeseries', cached, admit)
    .use('/areas/*', cached, admit)
    .use('/institutions', cached, admit)
    .use('/export', cached, admit)
    .route('/meta', meta)
    .route('/summary', summary)
    .route('/choropleth', choropleth)
    .route('/gaps', gaps)
    .route('/timeseries', timeseries)
    .route('/areas', areas)
    .route('/institutions', institutions)
    .route('/export', exports);

  const app = new Hono<AppEnv>().use(requestId());
  if (deps.accessLog) app.use(accessLog(deps.accessLog));
  app.use(securityHeaders({ mapStyleUrl: deps.mapStyleUrl })).use('/api/*', publicReadCors());
  const routed = app.route('/api', api);
  if (deps.clientDir) app.get('*', clientFiles(deps.clientDir));
  app.onError(handleError);
  app.notFound(handleNotFound);
  return routed;
}

export type AppType = ReturnType<typeof createApp>;
