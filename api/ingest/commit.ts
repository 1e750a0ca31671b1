import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { DuckDBValue } from '@duckdb/node-api';
import { appendAudit } from '../audit';
import type { Principal } from '../auth/principal';
import { secret } from '../auth/principal';
import { widen } from '../context';
import type { Tx } from '../db/database';
import { fingerprintSql } from '../db/records';
import { ROLLUP_KEYS } from '../db/schema';
import { raw, sql } from '../db/sql';
import { AID_TYPES, type AidType } from '../domain';
import type { ReachRecord } from '../reach-index';
import { reloadState, versions, type DataState, type StateHolder } from '../state';
import type { Database } from '../db/database';
import type { PreparedRecord, RowError } from './validate';

/** What a stored (or already stored) batch answers. */
export interface BatchReceipt {
  batch_id: string | null;
  accepted: number;
  already_received: number;
  rows: number;
  packages: Record<'total' | AidType, number>;
  rws: number;
  kelurahan: number;
  /** Points inside a kelurahan but outside all of its RW polygons (recorded at the kelurahan). */
  kelurahan_only: number;
  received_at: string;
  status: 'submitted';
}

export type IngestOutcome =
  | { kind: 'stored'; status: 201 | 200; body: BatchReceipt; replayed: boolean }
  | { kind: 'conflict'; errors: RowError[] }
  | { kind: 'key_reused' };

export interface IngestRequest {
  principal: Principal & { org: NonNullable<Principal['org']> };
  records: PreparedRecord[];
  rows: number;
  requestSha256: string;
  idempotencyKey: string | null;
}

/** With PETA_TIMING=1, logs how long each step of a commit took. */
function phases(): (name: string) => void {
  if (process.env.PETA_TIMING !== '1') return () => {};
  let t = performance.now();
  return (name) => {
    const now = performance.now();
    console.log(`[ingest] ${name} ${(now - t).toFixed(0)} ms`);
    t = now;
  };
}

/** How long an Idempotency-Key replays its first answer. */
export const IDEMPOTENCY_TTL = 'INTERVAL 24 HOUR';

/** Columns of the staging table, in append order. */
const STAGED_COLUMNS = `
  row INTEGER, external_id VARCHAR, date DATE, aid_type VARCHAR, quantity INTEGER, recipient_type VARCHAR,
  kk_hash VARCHAR, initials_hash VARCHAR, institution_id INTEGER, rw_given VARCHAR, lon DOUBLE, lat DOUBLE,
  rw_code VARCHAR, kelurahan_code VARCHAR, kecamatan_code VARCHAR, kota_code VARCHAR, home INTEGER,
  location_kind VARCHAR`;

/** Rows of the staging table, yielding to the event loop now and then so reads keep flowing. */
async function* stagedRows(records: PreparedRecord[]): AsyncGenerator<DuckDBValue[][]> {
  const CHUNK = 5_000;
  for (let i = 0; i < records.length; i += CHUNK) {
    yield records
      .slice(i, i + CHUNK)
      .map((r) => [
        r.row,
        r.external_id,
        r.date,
        r.aid_type,
        r.quantity,
        r.recipient_type,
        r.kk_hash,
        r.initials_hash,
        r.institution_id,
        r.rw_given,
        r.lon,
        r.lat,
        r.rw_code,
        r.kelurahan_code,
        r.kecamatan_code,
        r.kota_code,
        r.home,
        r.location_kind,
      ]);
    await yieldToLoop();
  }
}

function packagesOf(records: readonly PreparedRecord[]): BatchReceipt['packages'] {
  const packages = { total: 0, sembako: 0, siap_saji: 0, lebaran: 0, thr: 0 };
  for (const r of records) packages[r.aid_type] += r.quantity;
  packages.total = AID_TYPES.reduce((s, t) => s + packages[t], 0);
  return packages;
}

async function storeKey(tx: Tx, req: IngestRequest, status: number, body: unknown): Promise<void> {
  if (!req.idempotencyKey) return;
  await tx.run(sql`INSERT INTO idempotency_keys VALUES (${req.principal.id}, ${req.idempotencyKey},
                   ${req.requestSha256}, ${status}, ${JSON.stringify(body)}, now())`);
}

interface Committed {
  outcome: IngestOutcome;
  reach: ReachRecord[];
  dates: { from: string; to: string } | null;
}

/**
 * Stores a validated batch as one transaction: records, new households, rollup deltas, the batch,
 * an audit entry, the commit counter and the idempotency key. Re-sent records (same external_id,
 * same content) are counted as already received; a changed one fails the whole batch. The next
 * state (reach index, extents, versions) is published right after COMMIT, before the answer.
 */
export async function commitBatch(
  db: Database,
  holder: StateHolder,
  req: IngestRequest,
): Promise<IngestOutcome> {
  const { principal } = req;
  if (req.idempotencyKey) {
    // An expired key may be used again: its old row goes first, in its own transaction
    // (DuckDB cannot delete and re-insert one primary key inside a single transaction).
    await db.write((tx) =>
      tx.run(sql`DELETE FROM idempotency_keys WHERE principal_id = ${principal.id}
                 AND key = ${req.idempotencyKey} AND created_at < now() - ${raw(IDEMPOTENCY_TTL)}`),
    );
  }
  const committed = await db.write(
    async (tx): Promise<Committed> => {
      const none = { reach: [], dates: null };
      if (req.idempotencyKey) {
        const previous = await tx.rows<{ request_sha256: string; status: number; body: string }>(
          sql`SELECT request_sha256, status, body FROM idempotency_keys
              WHERE principal_id = ${principal.id} AND key = ${req.idempotencyKey}
                AND created_at >= now() - ${raw(IDEMPOTENCY_TTL)}`,
        );
        if (previous[0]) {
          if (previous[0].request_sha256 !== req.requestSha256) {
            return { outcome: { kind: 'key_reused' }, ...none };
          }
          const status = previous[0].status as 200 | 201;
          const body = JSON.parse(previous[0].body) as BatchReceipt;
          return { outcome: { kind: 'stored', status, body, replayed: true }, ...none };
        }
      }

      const lap = phases();
      await tx.run(sql`CREATE OR REPLACE TEMP TABLE staged (${raw(STAGED_COLUMNS)})`);
      for await (const chunk of stagedRows(req.records)) {
        await tx.append('staged', chunk, { temp: true });
      }
      lap('stage');
      // Records this aggregator sent before under the same external_id.
      await tx.run(sql`CREATE OR REPLACE TEMP TABLE known AS
        SELECT s.row, d.batch_id, d.fingerprint = ${fingerprintSql('s')} AS same
        FROM temp.staged s
        JOIN distributions d ON d.aggregator = ${principal.org}::aggregator_t AND d.external_id = s.external_id`);
      const known = await tx.rows<{ row: number; batch_id: string; same: boolean }>(
        sql`SELECT row, batch_id, same FROM temp.known ORDER BY row`,
      );
      lap('known');
      const changed = known.filter((k) => !k.same);
      if (changed.length > 0) {
        return {
          outcome: {
            kind: 'conflict',
            errors: changed.map((k) => ({
              row: k.row,
              column: 'external_id',
              code: 'external_id_changed',
              params: { batch: k.batch_id },
            })),
          },
          ...none,
        };
      }
      const knownRows = new Set(known.map((k) => k.row));
      const fresh = req.records.filter((r) => !knownRows.has(r.row));
      const receivedAt = new Date().toISOString();

      if (fresh.length === 0) {
        const batches = [...new Set(known.map((k) => k.batch_id))];
        const body: BatchReceipt = {
          batch_id: batches.length === 1 ? batches[0]! : null,
          accepted: 0,
          already_received: known.length,
          rows: req.rows,
          packages: packagesOf([]),
          rws: 0,
          kelurahan: 0,
          kelurahan_only: 0,
          received_at: receivedAt,
          status: 'submitted',
        };
        await storeKey(tx, req, 200, body);
        return { outcome: { kind: 'stored', status: 200, body, replayed: false }, ...none };
      }

      const batchId = secret('b_').slice(0, 18);
      await tx.run(sql`DELETE FROM temp.staged WHERE row IN (SELECT row FROM temp.known)`);
      // A KK seen for the first time becomes a household living where it was first served.
      await tx.run(sql`
        INSERT INTO households (household_id, kk_hash, initials_hash, rw_code, kelurahan_code,
                                kecamatan_code, kota_code, home_idx, lon, lat)
        SELECT (SELECT coalesce(max(household_id), 0) FROM households) + row_number() OVER (ORDER BY first_row),
               kk_hash, initials_hash, rw_code, kelurahan_code, kecamatan_code, kota_code, home, lon, lat
        FROM (
          SELECT kk_hash, arg_min(initials_hash, row) AS initials_hash, arg_min(rw_code, row) AS rw_code,
                 arg_min(kelurahan_code, row) AS kelurahan_code, arg_min(kecamatan_code, row) AS kecamatan_code,
                 arg_min(kota_code, row) AS kota_code, arg_min(home, row) AS home, arg_min(lon, row) AS lon,
                 arg_min(lat, row) AS lat, min(row) AS first_row
          FROM temp.staged s
          WHERE kk_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM households h WHERE h.kk_hash = s.kk_hash)
          GROUP BY kk_hash
        )`);
      lap('households');
      await tx.run(sql`
        INSERT INTO distributions (id, external_id, batch_id, aggregator, date, aid_type, quantity,
                                   recipient_type, household_id, institution_id, rw_code, kelurahan_code,
                                   kecamatan_code, kota_code, lon, lat, status, location_kind, fingerprint,
                                   initials_hash)
        SELECT (SELECT coalesce(max(id), 0) FROM distributions) + row_number() OVER (ORDER BY s.row),
               s.external_id, ${batchId}, ${principal.org}::aggregator_t, s.date, s.aid_type::aid_type_t,
               s.quantity, s.recipient_type::recipient_type_t, h.household_id, s.institution_id, s.rw_code,
               s.kelurahan_code, s.kecamatan_code, s.kota_code, s.lon, s.lat, 'submitted', s.location_kind,
               ${fingerprintSql('s')}, s.initials_hash
        FROM temp.staged s LEFT JOIN households h ON h.kk_hash = s.kk_hash
        ORDER BY s.row`);
      lap('records');
      // Rollup deltas: the map reads rollups, kept in step in the same transaction.
      await tx.run(sql`
        MERGE INTO rollup_rw_day r
        USING (
          SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code,
                 ${principal.org}::aggregator_t AS aggregator, aid_type::aid_type_t AS aid_type,
                 recipient_type::recipient_type_t AS recipient_type,
                 'submitted'::record_status_t AS status,
                 sum(quantity)::BIGINT AS packages, count(*)::INTEGER AS records
          FROM temp.staged GROUP BY ALL
        ) d
        ON r.date = d.date AND r.rw_code IS NOT DISTINCT FROM d.rw_code AND r.kelurahan_code = d.kelurahan_code
           AND r.aggregator = d.aggregator AND r.aid_type = d.aid_type
           AND r.recipient_type = d.recipient_type AND r.status = d.status
        WHEN MATCHED THEN UPDATE SET packages = r.packages + d.packages, records = r.records + d.records
        WHEN NOT MATCHED THEN INSERT (${raw(ROLLUP_KEYS)}, packages, records)
          VALUES (d.date, d.rw_code, d.kelurahan_code, d.kecamatan_code, d.kota_code, d.aggregator,
                  d.aid_type, d.recipient_type, d.status, d.packages, d.records)`);
      lap('rollup');
      await tx.run(sql`INSERT INTO batches VALUES (${batchId}, ${principal.org}::aggregator_t, 'upload',
                       ${receivedAt}::TIMESTAMPTZ, ${principal.label}, ${req.rows}, ${fresh.length},
                       ${known.length}, ${req.requestSha256})`);
      await appendAudit(tx, {
        actor: principal.id,
        actorRole: principal.role,
        actorOrg: principal.org,
        action: 'batch.received',
        batchId,
        toStatus: 'submitted',
        details: { rows: req.rows, accepted: fresh.length, already_received: known.length },
      });
      await tx.run(
        sql`UPDATE meta SET value = (value::BIGINT + 1)::VARCHAR WHERE key = 'commit_seq'`,
      );
      const homes = await tx.rows<{ row: number; household_id: number; home_idx: number }>(
        sql`SELECT s.row, h.household_id, h.home_idx FROM temp.staged s JOIN households h USING (kk_hash)`,
      );
      lap('homes');
      const byRow = new Map(fresh.map((r) => [r.row, r]));
      const reach: ReachRecord[] = homes.map((h) => {
        const r = byRow.get(h.row)!;
        return {
          household: h.household_id,
          home: h.home_idx,
          aggregator: principal.org,
          aidType: r.aid_type,
          status: 'submitted',
          day: r.day,
        };
      });
      const body: BatchReceipt = {
        batch_id: batchId,
        accepted: fresh.length,
        already_received: known.length,
        rows: req.rows,
        packages: packagesOf(fresh),
        rws: new Set(fresh.map((r) => r.rw_code).filter((c) => c !== null)).size,
        kelurahan: new Set(fresh.map((r) => r.kelurahan_code)).size,
        kelurahan_only: fresh.filter((r) => r.location_kind === 'kelurahan_only').length,
        received_at: receivedAt,
        status: 'submitted',
      };
      await storeKey(tx, req, 201, body);
      lap('batch');
      let from = fresh[0]!.date;
      let to = from;
      for (const r of fresh) {
        if (r.date < from) from = r.date;
        if (r.date > to) to = r.date;
      }
      return {
        outcome: { kind: 'stored', status: 201, body, replayed: false },
        reach,
        dates: { from, to },
      };
    },
    (c) => {
      if (!c.dates) return;
      try {
        holder.swap(afterUpload(holder.current, c.reach, c.dates));
      } catch (err) {
        // The batch is committed; only the in-memory state lags: rebuild it from the store.
        console.error('[state] publishing a committed batch failed; reloading the state', err);
        void reloadState(db, holder);
      }
    },
  );
  return committed.outcome;
}

/** The state after a batch of submitted records: counters, extent and reach index move on. */
function afterUpload(
  state: DataState,
  reach: ReachRecord[],
  dates: { from: string; to: string },
): DataState {
  const seq = { ...state.seq, commit: state.seq.commit + 1 };
  return {
    ...state,
    seq,
    ...versions(state.base, seq),
    ctx: { ...state.ctx, fullExtent: widen(state.ctx.fullExtent, dates.from, dates.to) },
    reach: reach.length ? state.reach.withChanges({ add: reach }) : state.reach,
  };
}
