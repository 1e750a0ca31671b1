import { Hono } from 'hono';
import { queryGaps } from '../db/gaps';
import type { AppEnv } from '../env';
import { runQuery } from '../run-query';
import { echoFilters, resolveFilters, versionFor } from '../resolve-filters';
import { GapsQuery } from '../schemas/filters';
import { validate } from '../validate';
import { resolveParent } from './choropleth';

export const gaps = new Hono<AppEnv>().get('/', validate('query', GapsQuery), async (c) => {
  const q = c.req.valid('query');
  const filters = resolveFilters(q, c.var.ctx, c.var.principal);
  const parent = resolveParent(q.parent, q.level, c.var.ctx);
  const result = await runQuery(c, (qc) =>
    queryGaps(qc, filters, {
      level: q.level,
      parent,
      threshold: q.threshold,
      limit: q.limit,
      minNeed: q.min_need,
    }),
  );
  return c.json({
    level: q.level,
    parent: parent?.code ?? null,
    threshold: q.threshold,
    min_need: q.min_need,
    limit: q.limit,
    filters: echoFilters(filters),
    data_version: versionFor(c.var.state, filters),
    total: result.total,
    rows: result.rows,
  });
});
