import { Hono } from 'hono';
import { queryArea } from '../db/area';
import type { AppEnv } from '../env';
import { runQuery } from '../run-query';
import { ApiError } from '../errors';
import { echoFilters, resolveFilters, versionFor } from '../resolve-filters';
import { AreaParams, AreaQuery } from '../schemas/filters';
import { validate } from '../validate';

export const areas = new Hono<AppEnv>().get(
  '/:code',
  validate('param', AreaParams),
  validate('query', AreaQuery),
  async (c) => {
    const { code } = c.req.valid('param');
    const level = c.var.ctx.regions.get(code)?.level;
    if (!level)
      throw new ApiError(404, 'area_not_found', `No region has the code ${code}`, { code });
    const q = c.req.valid('query');
    const filters = { ...resolveFilters(q, c.var.ctx, c.var.principal), area: { code, level } };
    const detail = await runQuery(c, (qc) => queryArea(qc, filters, q.threshold));
    return c.json({
      filters: echoFilters(filters),
      data_version: versionFor(c.var.state, filters),
      ...detail,
    });
  },
);
