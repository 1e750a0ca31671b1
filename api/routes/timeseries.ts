import { Hono } from 'hono';
import { queryTimeseries } from '../db/timeseries';
import type { AppEnv } from '../env';
import { runQuery } from '../run-query';
import { echoFilters, resolveFilters, versionFor } from '../resolve-filters';
import { TimeseriesQuery } from '../schemas/filters';
import { validate } from '../validate';

export const timeseries = new Hono<AppEnv>().get(
  '/',
  validate('query', TimeseriesQuery),
  async (c) => {
    const q = c.req.valid('query');
    const filters = resolveFilters(q, c.var.ctx, c.var.principal);
    const series = await runQuery(c, (qc) =>
      queryTimeseries(qc, filters, q.interval, q.cumulative),
    );
    return c.json({
      interval: q.interval,
      cumulative: q.cumulative,
      filters: echoFilters(filters),
      data_version: versionFor(c.var.state, filters),
      series,
    });
  },
);
