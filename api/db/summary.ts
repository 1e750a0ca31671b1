import { isWithin } from '../context';
import { AID_TYPES, INSTITUTION_TYPES, type AidType } from '../domain';
import { PACKAGE_COLUMNS, whereRecords, type ResolvedFilters } from './filters';
import { coverage, gap, per } from './metrics';
import type { QueryContext } from './query-context';
import { joinSql, sql } from './sql';

export interface Summary {
  packages: Record<'total' | AidType, number>;
  households_reached: number;
  areas_reached: { kota: number; kecamatan: number; kelurahan: number; rw: number };
  institutions_reached: number;
  aggregators_active: number;
  records: number;
  first_date: string | null;
  last_date: string | null;
  need: number;
  population: number;
  coverage: number | null;
  gap: number;
  packages_per_100_need: number | null;
}

/**
 * Totals for the filters. Packages and areas come from the rollup (per RW, summed here), distinct
 * institutions from the raw records, distinct households from the reach index: neither of the
 * last two can be summed across rollup rows.
 */
export async function querySummary(
  { db, reach, ctx }: QueryContext,
  f: ResolvedFilters,
): Promise<Summary> {
  // DuckDB works on its own threads: count households in JS meanwhile.
  // Per RW and kelurahan: records outside every RW polygon carry a kelurahan and no RW.
  const perRwQuery = db.rows<
    Record<string, number | string | null>
  >(sql`SELECT rw_code, kelurahan_code,
               ${PACKAGE_COLUMNS}
        FROM rollup_rw_day WHERE ${whereRecords(f)} GROUP BY 1, 2`);
  const households = reach.reach(f, reach.homesIn(f.area)).total;
  const perRw = await perRwQuery;
  const other = await db.one<{
    aggregators: number;
    first: string | null;
    last: string | null;
    institutions: number;
  }>(sql`SELECT count(DISTINCT aggregator)::INTEGER AS aggregators, min(date)::VARCHAR AS first,
               max(date)::VARCHAR AS last,
               (SELECT count(DISTINCT institution_id) FROM distributions
                WHERE ${whereRecords(f)} AND recipient_type IN (${joinSql(
                  INSTITUTION_TYPES.map((t) => sql`${t}::recipient_type_t`),
                  ', ',
                )}))::INTEGER AS institutions
        FROM rollup_rw_day WHERE ${whereRecords(f)}`);
  const packages = { total: 0, sembako: 0, siap_saji: 0, lebaran: 0, thr: 0 };
  let records = 0;
  const reached = {
    kota: new Set<string>(),
    kecamatan: new Set<string>(),
    kelurahan: new Set<string>(),
    rw: 0,
  };
  for (const row of perRw) {
    for (const t of AID_TYPES) packages[t] += Number(row[t] ?? 0);
    records += Number(row.records ?? 0);
    const kelurahan = ctx.regions.get(String(row.kelurahan_code));
    if (!kelurahan) continue;
    if (row.rw_code !== null) reached.rw++;
    reached.kota.add(kelurahan.kota_code);
    reached.kecamatan.add(kelurahan.kecamatan_code!);
    reached.kelurahan.add(kelurahan.code);
  }
  packages.total = AID_TYPES.reduce((s, t) => s + packages[t], 0);
  let need = 0;
  let population = 0;
  for (const r of ctx.byLevel.rw) {
    if (f.area && !isWithin(r, f.area)) continue;
    need += r.need;
    population += r.population;
  }
  return {
    packages,
    households_reached: households,
    areas_reached: {
      kota: reached.kota.size,
      kecamatan: reached.kecamatan.size,
      kelurahan: reached.kelurahan.size,
      rw: reached.rw,
    },
    institutions_reached: other.institutions,
    aggregators_active: other.aggregators,
    records,
    first_date: other.first,
    last_date: other.last,
    need,
    population,
    coverage: coverage(households, need),
    gap: gap(households, need),
    packages_per_100_need: per(packages.total, need, 100),
  };
}
