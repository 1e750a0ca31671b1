import { Hono, type Context } from 'hono';
import { queryMeta, type MetaFacts } from '../db/meta';
import { AGGREGATORS, AID_TYPES, LEVELS, RECIPIENT_TYPES } from '../domain';
import type { AppEnv } from '../env';
import { AID_TYPE_LABELS, LEVEL_LABELS, RECIPIENT_TYPE_LABELS, SOURCES } from '../labels';
import { DEFAULT_UNDERSERVED_THRESHOLD } from '../db/metrics';
import { NoQuery } from '../schemas/filters';
import { validate } from '../validate';

/** Everything a client needs to build its filters and legends, and where the data comes from. */
function metaBody(c: Context<AppEnv>, facts: MetaFacts) {
  const ctx = c.var.ctx;
  return {
    data_version: c.var.state.publicVersion,
    date_extent: ctx.extent,
    covid_extent: facts.covid_extent,
    aid_types: AID_TYPES.map((slug) => ({ slug, name: AID_TYPE_LABELS[slug] })),
    aggregators: AGGREGATORS.map((slug) => {
      const a = facts.aggregators.find((x) => x.slug === slug);
      const last = facts.last_verified.find((x) => x.slug === slug);
      return {
        slug,
        name: a?.name ?? slug,
        short_name: a?.short_name ?? slug,
        home_kota: a?.home_kota ?? [],
        /** Its latest upload that holds a verified record ("data per …"); null before any. */
        last_verified_upload:
          last?.received_at == null ? null : new Date(Number(last.received_at)).toISOString(),
        /** The latest day of its verified records. */
        verified_through: last?.data_through ?? null,
      };
    }),
    recipient_types: RECIPIENT_TYPES.map((slug) => ({ slug, name: RECIPIENT_TYPE_LABELS[slug] })),
    levels: LEVELS.map((slug) => ({
      slug,
      name: LEVEL_LABELS[slug],
      count: facts.region_counts[slug] ?? 0,
      boundaries: `/api/boundaries/${slug}?v=${c.var.boundaries[slug].etag.replaceAll('"', '')}`,
    })),
    defaults: {
      threshold: DEFAULT_UNDERSERVED_THRESHOLD,
      level: 'kelurahan',
      from: ctx.extent.from,
      to: ctx.extent.to,
    },
    sources: SOURCES,
    /** An online MapLibre style for the basemap (MAP_STYLE_URL); null keeps the offline one. */
    map_style_url: c.var.mapStyleUrl ?? null,
  };
}
export type Meta = ReturnType<typeof metaBody>;

export const meta = new Hono<AppEnv>().get('/', validate('query', NoQuery), async (c) =>
  c.json(metaBody(c, await c.var.db.read(queryMeta))),
);
