import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryOne, queryRows, type Database } from '../../api/db/database';
import { sql } from '../../api/db/sql';
import { hashInitials, hashKk, kkProblem } from '../../api/kk';
import { DEMO_DB_PATH } from '../lib/paths';
import { DEFAULT_DATASET_DIR } from '../generate-dataset';
import { DEMO_HOUSEHOLDS } from './generate';
import { DEMO_INITIALS, demoKk } from './kk-numbers';

let db: Database;
beforeAll(async () => {
  db = await openDatabase(DEMO_DB_PATH, { readOnly: true });
});
afterAll(() => db.close());

const one = <T>(query: ReturnType<typeof sql>) => db.withConnection((c) => queryOne<T>(c, query));

describe('the default dataset in DuckDB', () => {
  it('stores KK numbers only as keyed hashes; the public demo KKs are valid and known', async () => {
    const kecamatan = (
      await db.withConnection((c) =>
        queryRows<{ code: string }>(c, sql`SELECT code FROM regions WHERE level = 'kecamatan'`),
      )
    ).map((r) => r.code);
    const valid = new Set(kecamatan);
    const file = readFileSync(DEMO_DB_PATH);
    // Each demo KK n (1 … DEMO_HOUSEHOLDS) exists in exactly one kecamatan, with the demo initials.
    const candidates = new Map<string, string>();
    for (let n = 1; n <= DEMO_HOUSEHOLDS + 1; n++) {
      for (const code of kecamatan) candidates.set(hashKk(demoKk(code, n)), demoKk(code, n));
    }
    const rows = await db.withConnection((c) =>
      queryRows<{ kk_hash: string; n: number; initials: string }>(
        c,
        sql`SELECT kk_hash, count(*)::INTEGER AS n, any_value(initials_hash) AS initials
            FROM households WHERE kk_hash IN (SELECT unnest(string_split(${[...candidates.keys()].join(',')}, ',')))
            GROUP BY kk_hash`,
      ),
    );
    const found: string[] = [];
    for (const row of rows) {
      const kk = candidates.get(row.kk_hash)!;
      expect(row.n).toBe(1);
      expect(kkProblem(kk, valid)).toBeNull();
      expect(row.initials).toBe(hashInitials(kk, DEMO_INITIALS));
      // The raw number appears nowhere in the database file.
      expect(file.includes(Buffer.from(kk))).toBe(false);
      found.push(kk);
    }
    expect(found).toHaveLength(DEMO_HOUSEHOLDS);
    // No generated data file holds a plain KK number.
    for (const name of readdirSync(DEFAULT_DATASET_DIR)) {
      const text = readFileSync(path.join(DEFAULT_DATASET_DIR, name), 'utf8');
      expect(/\b31\d{14}\b/.test(text), name).toBe(false);
    }
    const hashes = await one<{ bad: number }>(
      sql`SELECT count(*) FILTER (NOT regexp_full_match(kk_hash, '[0-9a-f]{64}'))::INTEGER AS bad FROM households`,
    );
    expect(hashes.bad).toBe(0);
  });

  it('places every record inside Jakarta and in an RW of its kelurahan', async () => {
    const row = await one<{ bad_codes: number; outside: number }>(sql`
      SELECT count(*) FILTER (NOT starts_with(d.rw_code, d.kelurahan_code || '.'))::INTEGER AS bad_codes,
             count(*) FILTER (d.lon NOT BETWEEN 106.3 AND 107.1 OR d.lat NOT BETWEEN -6.5 AND -5.1)::INTEGER AS outside
      FROM distributions d`);
    expect(row).toEqual({ bad_codes: 0, outside: 0 });
  });

  it('links household records to households and institution records to institutions of the same RW', async () => {
    const row = await one<{ orphans: number; wrong_rw: number; mixed: number }>(sql`
      SELECT count(*) FILTER (d.recipient_type = 'household' AND h.household_id IS NULL)::INTEGER AS orphans,
             count(*) FILTER (h.rw_code <> d.rw_code OR i.rw_code <> d.rw_code)::INTEGER AS wrong_rw,
             count(*) FILTER ((d.recipient_type = 'household') <> (d.household_id IS NOT NULL))::INTEGER AS mixed
      FROM distributions d
      LEFT JOIN households h USING (household_id)
      LEFT JOIN institutions i USING (institution_id)`);
    expect(row).toEqual({ orphans: 0, wrong_rw: 0, mixed: 0 });
  });

  it('leans aid toward need while leaving needy RWs uncovered', async () => {
    const row = await one<{
      reached_need: number;
      unreached_need: number;
      uncovered_top: number;
    }>(sql`
      WITH reached AS (SELECT DISTINCT rw_code FROM distributions WHERE status = 'verified'),
           rw AS (SELECT r.code, r.need, r.code IN (SELECT rw_code FROM reached) AS hit FROM regions r WHERE level = 'rw'),
           top AS (SELECT * FROM rw ORDER BY need DESC LIMIT 300)
      SELECT avg(need) FILTER (hit)::DOUBLE AS reached_need,
             avg(need) FILTER (NOT hit)::DOUBLE AS unreached_need,
             (SELECT count(*) FILTER (NOT hit) FROM top)::INTEGER AS uncovered_top
      FROM rw`);
    expect(row.reached_need).toBeGreaterThan(row.unreached_need * 1.5);
    expect(row.uncovered_top).toBeGreaterThan(0);
  });

  it('follows the Ramadan and Lebaran calendar', async () => {
    const row = await one<{
      lebaran_before: number;
      lebaran_after: number;
      eid_day: number;
      mid_may: number;
    }>(sql`
      SELECT coalesce(sum(quantity) FILTER (aid_type = 'lebaran' AND date < DATE '2020-05-24'), 0)::INTEGER AS lebaran_before,
             coalesce(sum(quantity) FILTER (aid_type = 'lebaran' AND date >= DATE '2020-05-24'), 0)::INTEGER AS lebaran_after,
             coalesce(sum(quantity) FILTER (date = DATE '2020-05-24'), 0)::INTEGER AS eid_day,
             (coalesce(sum(quantity) FILTER (date BETWEEN DATE '2020-05-11' AND DATE '2020-05-17'), 0) / 7)::INTEGER AS mid_may
      FROM distributions WHERE status = 'verified'`);
    expect(row.lebaran_after).toBe(0);
    expect(row.lebaran_before).toBe(28_618);
    expect(row.eid_day).toBeLessThan(row.mid_may / 4);
  });

  it('keeps unverified records out of the calibrated totals but in the store', async () => {
    const row = await one<{ pending: number; rejected: number; verified: number }>(sql`
      SELECT count(*) FILTER (status = 'submitted')::INTEGER AS pending,
             count(*) FILTER (status = 'rejected')::INTEGER AS rejected,
             coalesce(sum(quantity) FILTER (status = 'verified'), 0)::INTEGER AS verified
      FROM distributions`);
    expect(row.pending).toBeGreaterThan(0);
    expect(row.rejected).toBeGreaterThan(0);
    expect(row.verified).toBe(561_118);
  });

  it('keeps the rollup equal to the raw records', async () => {
    const row = await one<{ raw: number; rolled: number; raw_n: number; rolled_n: number }>(sql`
      SELECT (SELECT sum(quantity) FROM distributions)::BIGINT::DOUBLE AS raw,
             (SELECT sum(packages) FROM rollup_rw_day)::DOUBLE AS rolled,
             (SELECT count(*) FROM distributions)::DOUBLE AS raw_n,
             (SELECT sum(records) FROM rollup_rw_day)::DOUBLE AS rolled_n`);
    expect(row.rolled).toBe(row.raw);
    expect(row.rolled_n).toBe(row.raw_n);
  });
});
