import { Hono } from 'hono';
import { queryInstitutions } from '../db/institutions';
import type { AppEnv } from '../env';
import { echoFilters, resolveFilters } from '../resolve-filters';
import { InstitutionsQuery } from '../schemas/filters';
import { validate } from '../validate';

/** Institutions as GeoJSON points, with the aid each received under the filters. */
export const institutions = new Hono<AppEnv>().get(
  '/',
  validate('query', InstitutionsQuery),
  async (c) => {
    const q = c.req.valid('query');
    const filters = resolveFilters(q, c.var.ctx);
    const rows = await c.var.db.withConnection((conn) => queryInstitutions(conn, filters, q.type));
    return c.json({
      type: 'FeatureCollection' as const,
      filters: echoFilters(filters),
      data_version: c.var.ctx.version,
      features: rows.map(({ lon, lat, ...properties }) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [lon, lat] as [number, number] },
        properties,
      })),
    });
  },
);
