import type { Reader } from './db/database';
import { sql } from './db/sql';
import { ReachIndex, type HomeUnit } from './reach-index';

/**
 * Loads the reach index from the store: every household record with its household's home unit,
 * streamed in (home, household) order so the builder packs it without sorting. Aggregator, aid
 * type and status come as small enum codes and are turned into combination ids once per code.
 */
export async function loadReachIndex(db: Reader, units: HomeUnit[]): Promise<ReachIndex> {
  const names = await db.one<{ aggregators: string[]; aid_types: string[]; statuses: string[] }>(
    sql`SELECT enum_range(NULL::aggregator_t)::VARCHAR[] AS aggregators,
               enum_range(NULL::aid_type_t)::VARCHAR[] AS aid_types,
               enum_range(NULL::record_status_t)::VARCHAR[] AS statuses`,
  );
  const builder = ReachIndex.builder(units.filter(Boolean));
  // One code per (aggregator, aid type, status): 1024 · aggregator + 32 · aid type + status.
  const comboOfCode = new Map<number, number>();
  const comboFor = (code: number): number => {
    let id = comboOfCode.get(code);
    if (id === undefined) {
      id = builder.combo(
        names.aggregators[code >> 10]!,
        names.aid_types[(code >> 5) & 31]!,
        names.statuses[code & 31]!,
      );
      comboOfCode.set(code, id);
    }
    return id;
  };
  if (names.aid_types.length > 32 || names.statuses.length > 32) {
    throw new Error('the reach loader packs aid types and statuses in 5 bits each; widen it');
  }
  await db.chunks(
    sql`SELECT d.household_id, h.home_idx,
               (enum_code(d.aggregator)::INTEGER * 1024 + enum_code(d.aid_type) * 32 + enum_code(d.status))::INTEGER,
               (d.date - DATE '1970-01-01')::INTEGER
        FROM distributions d JOIN households h USING (household_id)
        ORDER BY h.home_idx, d.household_id`,
    (columns, n) => {
      const [household, home, code, day] = columns as [number[], number[], number[], number[]];
      const combo = new Uint16Array(n);
      for (let i = 0; i < n; i++) combo[i] = comboFor(code[i]!);
      builder.addColumns(household, home, combo, day, n);
    },
  );
  return builder.build();
}
