import { Hono } from 'hono';
import { queryChoropleth, type ChoroplethOptions } from '../db/choropleth';
import type { DataContext } from '../context';
import { LEVELS, type Level } from '../domain';
import type { AppEnv } from '../env';
import { runQuery } from '../run-query';
import { ApiError } from '../errors';
import { echoFilters, resolveFilters, resolveRegion, versionFor } from '../resolve-filters';
import { ChoroplethQuery } from '../schemas/filters';
import { validate } from '../validate';

/** A parent must be a region above the requested level. */
export function resolveParent(
  parent: string | undefined,
  level: Level,
  ctx: DataContext,
): ChoroplethOptions['parent'] {
  if (!parent) return null;
  const region = resolveRegion(parent, ctx, 'parent');
  if (LEVELS.indexOf(region.level) >= LEVELS.indexOf(level)) {
    throw new ApiError(400, 'invalid_parameters', `parent ${parent} is not above level ${level}`, {
      parameters: [
        {
          param: 'parent',
          code: 'not_above_level',
          message: `a ${region.level} cannot contain ${level} regions`,
        },
      ],
    });
  }
  return region;
}

export const choropleth = new Hono<AppEnv>().get(
  '/',
  validate('query', ChoroplethQuery),
  async (c) => {
    const q = c.req.valid('query');
    const filters = resolveFilters(q, c.var.ctx, c.var.principal);
    const parent = resolveParent(q.parent, q.level, c.var.ctx);
    const rows = await runQuery(c, (qc) =>
      queryChoropleth(qc, filters, {
        level: q.level,
        parent,
        threshold: q.threshold,
      }),
    );
    return c.json({
      level: q.level,
      parent: parent?.code ?? null,
      threshold: q.threshold,
      filters: echoFilters(filters),
      data_version: versionFor(c.var.state, filters),
      rows,
    });
  },
);
