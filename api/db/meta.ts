import type { Reader } from './database';
import type { AggregatorSlug, Level } from '../domain';
import { sql } from './sql';

export interface MetaFacts {
  aggregators: { slug: AggregatorSlug; name: string; short_name: string; home_kota: string[] }[];
  region_counts: Record<Level, number>;
  covid_extent: { from: string | null; to: string | null };
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
  return {
    aggregators,
    region_counts: Object.fromEntries(counts.map((c) => [c.level, c.n])) as Record<Level, number>,
    covid_extent: covid[0] ?? { from: null, to: null },
  };
}
