import { Hono } from 'hono';
import { querySummary } from '../db/summary';
import type { AppEnv } from '../env';
import { runQuery } from '../run-query';
import { echoFilters, resolveFilters, versionFor } from '../resolve-filters';
import { Filters } from '../schemas/filters';
import { validate } from '../validate';

export const summary = new Hono<AppEnv>().get('/', validate('query', Filters), async (c) => {
  const filters = resolveFilters(c.req.valid('query'), c.var.ctx, c.var.principal);
  const result = await runQuery(c, (qc) => querySummary(qc, filters));
  return c.json({
    filters: echoFilters(filters),
    ...result,
    data_version: versionFor(c.var.state, filters),
  });
});
