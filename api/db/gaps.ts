import { queryChoropleth, type ChoroplethOptions, type ChoroplethRow } from './choropleth';
import type { ResolvedFilters } from './filters';
import type { QueryContext } from './query-context';

export interface GapRow extends ChoroplethRow {
  rank: number;
  kelurahan_name: string | null;
  kecamatan_name: string | null;
  kota_name: string | null;
}

export interface GapOptions extends ChoroplethOptions {
  limit: number;
  minNeed: number;
}

/**
 * Uncovered and underserved regions (coverage below the threshold, need at least minNeed), ranked
 * by gap, largest first. Built on the choropleth rows so both answers always agree.
 */
export async function queryGaps(
  q: QueryContext,
  f: ResolvedFilters,
  options: GapOptions,
): Promise<{ total: number; rows: GapRow[] }> {
  const all = await queryChoropleth(q, f, options);
  const ranked = all
    .filter(
      (r) => r.need >= options.minNeed && (r.status === 'uncovered' || r.status === 'underserved'),
    )
    .sort((a, b) => b.gap - a.gap || a.code.localeCompare(b.code));
  const top = ranked.slice(0, options.limit);
  const nameOf = (code: string | null, self: string) =>
    code && code !== self ? (q.ctx.regions.get(code)?.name ?? null) : null;
  return {
    total: ranked.length,
    rows: top.map((r, i) => {
      const facts = q.ctx.regions.get(r.code)!;
      return {
        ...r,
        rank: i + 1,
        kelurahan_name: nameOf(facts.kelurahan_code, r.code),
        kecamatan_name: nameOf(facts.kecamatan_code, r.code),
        kota_name: nameOf(facts.kota_code, r.code),
      };
    }),
  };
}
