import type { DuckDBConnection } from '@duckdb/node-api';
import type { AggregatorSlug, Level } from '../domain';
import { queryRows } from './database';
import { sql } from './sql';

export interface MetaFacts {
  aggregators: { slug: AggregatorSlug; name: string; short_name: string; home_kota: string[] }[];
  region_counts: Record<Level, number>;
  covid_extent: { from: string | null; to: string | null };
}

export async function queryMeta(conn: DuckDBConnection): Promise<MetaFacts> {
  const aggregators = await queryRows<{
    slug: AggregatorSlug;
    name: string;
    short_name: string;
    home_kota: string[];
  }>(
    conn,
    sql`SELECT slug::VARCHAR AS slug, name, short_name, home_kota FROM aggregators ORDER BY slug`,
  );
  const counts = await queryRows<{ level: Level; n: number }>(
    conn,
    sql`SELECT level::VARCHAR AS level, count(*)::INTEGER AS n FROM regions GROUP BY 1`,
  );
  const covid = await queryRows<{ from: string | null; to: string | null }>(
    conn,
    sql`SELECT min(date)::VARCHAR AS "from", max(date)::VARCHAR AS "to" FROM covid_daily`,
  );
  return {
    aggregators,
    region_counts: Object.fromEntries(counts.map((c) => [c.level, c.n])) as Record<Level, number>,
    covid_extent: covid[0] ?? { from: null, to: null },
  };
}
