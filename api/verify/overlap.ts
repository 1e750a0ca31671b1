import type { Reader } from '../db/database';
import { REGION_COLUMN } from '../db/filters';
import { joinSql, raw, sql } from '../db/sql';
import type { AidType, Level, RecordStatus } from '../domain';

export interface OverlapRow {
  code: string;
  /** Distinct households reached, counted at their home region. */
  households_reached: number;
  /** Of those, the households served by more than one aggregator. */
  households_multi_aggregator: number;
  /** households_multi_aggregator ÷ households_reached; null when none was reached. */
  multi_aggregator_share: number | null;
}

export interface OverlapQuery {
  level: Level;
  parent: string | null;
  from: string;
  to: string;
  aidTypes: AidType[];
  statuses: RecordStatus[];
}

/**
 * Per region, the share of reached households that more than one aggregator served in the
 * window: the province's worry of one household served twice while its neighbours got nothing.
 * Households count at their home region, as everywhere else.
 */
export async function queryOverlap(db: Reader, q: OverlapQuery): Promise<OverlapRow[]> {
  const col = raw(`h.${REGION_COLUMN[q.level]}`);
  const aid = q.aidTypes.length
    ? sql`AND d.aid_type IN (${joinSql(
        q.aidTypes.map((t) => sql`${t}::aid_type_t`),
        ', ',
      )})`
    : sql``;
  const parent = q.parent ? sql`AND starts_with(${col}, ${`${q.parent}.`})` : sql``;
  const rows = await db.rows<{ code: string; reached: number; multi: number }>(sql`
    WITH served AS (
      SELECT d.household_id, count(DISTINCT d.aggregator) AS aggregators
      FROM distributions d
      WHERE d.household_id IS NOT NULL AND d.date BETWEEN ${q.from}::DATE AND ${q.to}::DATE
        AND d.status IN (${joinSql(
          q.statuses.map((s) => sql`${s}::record_status_t`),
          ', ',
        )}) ${aid}
      GROUP BY d.household_id
    )
    SELECT ${col} AS code, count(*)::DOUBLE AS reached, count(*) FILTER (s.aggregators > 1)::DOUBLE AS multi
    FROM served s JOIN households h USING (household_id)
    WHERE ${col} IS NOT NULL ${parent}
    GROUP BY 1 ORDER BY 1`);
  return rows.map((r) => {
    const reached = Number(r.reached);
    const multi = Number(r.multi);
    return {
      code: r.code,
      households_reached: reached,
      households_multi_aggregator: multi,
      multi_aggregator_share: reached > 0 ? multi / reached : null,
    };
  });
}
