import { Hono } from 'hono';
import { querySummary } from '../db/summary';
import type { AppEnv } from '../env';
import { runQuery } from '../run-query';
import { resolveFilters } from '../resolve-filters';
import { Filters } from '../schemas/filters';
import { validate } from '../validate';

export const summary = new Hono<AppEnv>().get('/', validate('query', Filters), async (c) => {
  const filters = resolveFilters(c.req.valid('query'), c.var.ctx);
  const result = await runQuery(c, (qc) => querySummary(qc, filters));
  return c.json({
    filters: {
      from: filters.from,
      to: filters.to,
      aid_type: filters.aidTypes,
      aggregator: filters.aggregators,
      recipient_type: filters.recipientTypes,
      area: filters.area?.code ?? null,
    },
    ...result,
    data_version: c.var.ctx.version,
  });
});
