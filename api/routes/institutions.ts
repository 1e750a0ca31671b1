import { Hono } from 'hono';
import { queryInstitutions } from '../db/institutions';
import type { AppEnv } from '../env';
import { echoFilters, resolveFilters, versionFor } from '../resolve-filters';
import { InstitutionsQuery } from '../schemas/filters';
import { validate } from '../validate';

/** Institutions as GeoJSON points, with the aid each received under the filters. */
export const institutions = new Hono<AppEnv>().get(
  '/',
  validate('query', InstitutionsQuery),
  async (c) => {
    const q = c.req.valid('query');
    const filters = resolveFilters(q, c.var.ctx, c.var.principal);
    const rows = await c.var.db.read((db) => queryInstitutions(db, filters, q.type));
    return c.json({
      type: 'FeatureCollection' as const,
      filters: echoFilters(filters),
      data_version: versionFor(c.var.state, filters),
      features: rows.map(({ lon, lat, ...properties }) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [lon, lat] as [number, number] },
        properties,
      })),
    });
  },
);
