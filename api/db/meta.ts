import type { Reader } from './database';
import type { AggregatorSlug, Level } from '../domain';
import { sql } from './sql';

export interface MetaFacts {
  aggregators: { slug: AggregatorSlug; name: string; short_name: string; home_kota: string[] }[];
  region_counts: Record<Level, number>;
  covid_extent: { from: string | null; to: string | null };
  /** Per aggregator, its latest upload holding a verified record and its latest verified day. */
  last_verified: {
    slug: AggregatorSlug;
    received_at: number | null;
    data_through: string | null;
  }[];
}

export async function queryMeta(db: Reader): Promise<MetaFacts> {
  const aggregators = await db.rows<{
    slug: AggregatorSlug;
    name: string;
    short_name: string;
    home_kota: string[];
  }>(sql`SELECT slug::VARCHAR AS slug, name, short_name, home_kota FROM aggregators ORDER BY slug`);
  const counts = await db.rows<{ level: Level; n: number }>(
    sql`SELECT level::VARCHAR AS level, count(*)::INTEGER AS n FROM regions GROUP BY 1`,
  );
  const covid = await db.rows<{ from: string | null; to: string | null }>(
    sql`SELECT min(date)::VARCHAR AS "from", max(date)::VARCHAR AS "to" FROM covid_daily`,
  );
  // Public figures count verified records only: an aggregator whose last verified upload is old
  // is silent, which must not be read as an unserved area.
  const lastVerified = await db.rows<{
    slug: AggregatorSlug;
    received_at: number | null;
    data_through: string | null;
  }>(sql`
    SELECT a.slug::VARCHAR AS slug, epoch_ms(u.received_at)::DOUBLE AS received_at,
           strftime(r.data_through, '%Y-%m-%d') AS data_through
    FROM aggregators a
    LEFT JOIN (
      SELECT b.aggregator, max(b.received_at) AS received_at FROM batches b
      WHERE b.batch_id IN (SELECT DISTINCT batch_id FROM distributions WHERE status = 'verified')
      GROUP BY b.aggregator
    ) u ON u.aggregator = a.slug
    LEFT JOIN (
      SELECT aggregator, max(date) AS data_through FROM rollup_rw_day WHERE status = 'verified' GROUP BY aggregator
    ) r ON r.aggregator = a.slug
    ORDER BY a.slug`);
  return {
    aggregators,
    last_verified: lastVerified,
    region_counts: Object.fromEntries(counts.map((c) => [c.level, c.n])) as Record<Level, number>,
    covid_extent: covid[0] ?? { from: null, to: null },
  };
}
