import { appendAudit } from '../audit';
import type { Principal } from '../auth/principal';
import { secret } from '../auth/principal';
import { widen } from '../context';
import type { Database, Tx } from '../db/database';
import { ROLLUP_KEYS } from '../db/schema';
import { raw, sql } from '../db/sql';
import { AID_TYPES, type AidType, type RecordStatus } from '../domain';
import type { ReachIndex, ReachRecord } from '../reach-index';
import { reloadState, versions, type DataState, type StateHolder } from '../state';
import { phases } from '../timing';
import type { CheckedUpload } from './checked-upload';
import type { ProblemSummary } from './problems';
import { stageChunk } from './stage';
import type { RowError } from './validate';

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
  /** Of the accepted records, those that replace a returned record (a new version of it). */
  corrected: number;
}

export type IngestOutcome =
  | { kind: 'stored'; status: 201 | 200; body: BatchReceipt; replayed: boolean }
  /** Rows that failed their checks (found while storing had begun). */
  | { kind: 'refused'; problems: ProblemSummary }
  | { kind: 'conflict'; errors: RowError[] }
  | { kind: 'key_reused' };

export interface IngestRequest {
  principal: Principal & { org: NonNullable<Principal['org']> };
  /** The upload as its check goes on; its fingerprint is known (`ready` has settled). */
  upload: CheckedUpload;
  idempotencyKey: string | null;
}

/** How long an Idempotency-Key replays its first answer. */
export const IDEMPOTENCY_TTL = 'INTERVAL 24 HOUR';

/** Ends a unit with a rollback, and says why. */
class Rollback extends Error {
  constructor(readonly outcome: IngestOutcome) {
    super(outcome.kind);
  }
}

async function storeKey(tx: Tx, req: IngestRequest, status: number, body: unknown): Promise<void> {
  if (!req.idempotencyKey) return;
  await tx.run(sql`INSERT INTO idempotency_keys VALUES (${req.principal.id}, ${req.idempotencyKey},
                   ${req.upload.sha256}, ${status}, ${JSON.stringify(body)}, now())`);
}

function noPackages(): BatchReceipt['packages'] {
  return { total: 0, sembako: 0, siap_saji: 0, lebaran: 0, thr: 0 };
}

interface KnownRecord {
  row: number;
  batch_id: string;
  status: RecordStatus;
  /** Same content as stored: a re-send. */
  same: boolean;
}

/** Records of the staged chunk this aggregator sent before under the same external_id. */
async function knownRecords(tx: Tx, org: string): Promise<KnownRecord[]> {
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE known AS
    SELECT s.row, d.id, d.batch_id, d.status, d.fingerprint = s.fingerprint AS same
    FROM temp.staged s
    JOIN distributions d ON d.aggregator = ${org}::aggregator_t AND d.external_id = s.external_id`);
  return tx.rows<KnownRecord>(
    sql`SELECT row, batch_id, status::VARCHAR AS status, same FROM temp.known ORDER BY row`,
  );
}

/**
 * What the chunk's corrections replace (`temp.replaced`): each returned record's current
 * version, kept whole in record_versions, its rollup row to leave and its reach entry to drop.
 */
async function replaceVersions(tx: Tx, batchId: string): Promise<ReachRecord[]> {
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE replaced AS
    SELECT d.id, d.version, d.batch_id, d.household_id, h.home_idx, d.aggregator, d.aid_type, d.date,
           d.rw_code, d.kelurahan_code, d.kecamatan_code, d.kota_code, d.recipient_type, d.quantity,
           d.status, d.location_kind
    FROM distributions d
    JOIN temp.staged s ON s.corrects = d.id
    LEFT JOIN households h ON h.household_id = d.household_id`);
  await tx.run(sql`INSERT INTO record_versions
    SELECT d.id, d.version, d.external_id, d.batch_id, d.aggregator, d.date, d.aid_type, d.quantity,
           d.recipient_type, d.household_id, d.institution_id, d.rw_code, d.kelurahan_code,
           d.kecamatan_code, d.kota_code, d.lon, d.lat, d.status, d.location_kind, d.fingerprint,
           d.initials_hash, d.status_reason, d.status_note, d.status_at, now(), ${batchId}
    FROM distributions d WHERE d.id IN (SELECT id FROM temp.replaced)`);
  await tx.run(sql`INSERT INTO temp.batch_gone
    SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aid_type, recipient_type,
           status, quantity
    FROM temp.replaced`);
  const gone = await tx.rows<{
    household_id: number;
    home_idx: number;
    aggregator: string;
    aid_type: string;
    status: RecordStatus;
    day: number;
  }>(sql`SELECT household_id, home_idx, aggregator::VARCHAR AS aggregator,
                aid_type::VARCHAR AS aid_type, status::VARCHAR AS status,
                (date - DATE '1970-01-01')::INTEGER AS day
         FROM temp.replaced WHERE household_id IS NOT NULL`);
  return gone.map((g) => ({
    household: g.household_id,
    home: g.home_idx,
    aggregator: g.aggregator,
    aidType: g.aid_type,
    status: g.status,
    day: g.day,
  }));
}

/** The chunk's corrections take the place of the versions they replace: same id, next version. */
async function applyCorrections(tx: Tx, req: IngestRequest, batchId: string): Promise<void> {
  const p = req.principal;
  await tx.run(sql`UPDATE distributions SET
      batch_id = ${batchId}, date = c.date, aid_type = c.aid_type, quantity = c.quantity,
      recipient_type = c.recipient_type, household_id = c.household_id,
      institution_id = c.institution_id, rw_code = c.rw_code, kelurahan_code = c.kelurahan_code,
      kecamatan_code = c.kecamatan_code, kota_code = c.kota_code, lon = c.lon, lat = c.lat,
      status = 'submitted', location_kind = c.location_kind, fingerprint = c.fingerprint,
      initials_hash = c.initials_hash, version = distributions.version + 1,
      status_reason = NULL, status_note = NULL, status_at = NULL
    FROM (SELECT s.*, h.household_id FROM temp.staged s
          LEFT JOIN temp.batch_households h ON h.kk_hash = s.kk_hash
          WHERE s.corrects IS NOT NULL) c
    WHERE distributions.id = c.corrects`);
  await tx.run(sql`INSERT INTO audit_log
    SELECT (SELECT coalesce(max(id), 0) FROM audit_log) + row_number() OVER (ORDER BY r.id), now(),
           ${p.id}, ${p.role}, ${p.org}, 'record.corrected', ${batchId}, r.id, r.status::VARCHAR,
           'submitted', NULL,
           json_object('version', r.version + 1, 'replaced_batch', r.batch_id, 'kelurahan', r.kelurahan_code)
    FROM temp.replaced r`);
}

/**
 * Stores the new records of the staged chunk: households seen for the first time, the records,
 * and what the batch's rollup deltas and receipt need (`temp.batch_fresh`). Returns the chunk's
 * household records for the reach index.
 */
async function storeChunk(
  tx: Tx,
  req: IngestRequest,
  batchId: string,
  names: readonly string[],
  corrections: boolean,
): Promise<{ add: ReachRecord[]; remove: ReachRecord[] }> {
  const org = req.principal.org;
  const remove = corrections ? await replaceVersions(tx, batchId) : [];
  // The chunk's households: those known already (one pass over the household table), then each
  // KK seen for the first time, living where it was first served. No index on kk_hash: this
  // writer is the only one and looks first, so a KK never gets a second household.
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE batch_households AS
    SELECT h.kk_hash, h.household_id, h.home_idx FROM households h
    WHERE h.kk_hash IN (SELECT kk_hash FROM temp.staged WHERE kk_hash IS NOT NULL)`);
  // `first_kk` marks the batch's first record of each KK (set by the check thread).
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE new_households AS
    SELECT (SELECT coalesce(max(household_id), 0) FROM households) + row_number() OVER (ORDER BY row) AS household_id,
           kk_hash, initials_hash, rw_code, kelurahan_code, kecamatan_code, kota_code, home AS home_idx, lon, lat
    FROM temp.staged s
    WHERE first_kk = 1
      AND NOT EXISTS (SELECT 1 FROM temp.batch_households h WHERE h.kk_hash = s.kk_hash)`);
  await tx.run(sql`
    INSERT INTO households (household_id, kk_hash, initials_hash, rw_code, kelurahan_code,
                            kecamatan_code, kota_code, home_idx, lon, lat)
    SELECT household_id, kk_hash, initials_hash, rw_code, kelurahan_code, kecamatan_code,
           kota_code, home_idx, lon, lat
    FROM temp.new_households`);
  await tx.run(sql`INSERT INTO temp.batch_households
    SELECT kk_hash, household_id, home_idx FROM temp.new_households`);
  if (corrections) await applyCorrections(tx, req, batchId);
  // Ids follow on from the largest, in row order: `seq` numbers the chunk's new records from 1.
  await tx.run(sql`
    INSERT INTO distributions (id, external_id, batch_id, aggregator, date, aid_type, quantity,
                               recipient_type, household_id, institution_id, rw_code, kelurahan_code,
                               kecamatan_code, kota_code, lon, lat, status, location_kind, fingerprint,
                               initials_hash)
    SELECT (SELECT coalesce(max(id), 0) FROM distributions) + s.seq,
           s.external_id, ${batchId}, ${org}::aggregator_t, s.date, s.aid_type,
           s.quantity, s.recipient_type, h.household_id, s.institution_id, s.rw_code,
           s.kelurahan_code, s.kecamatan_code, s.kota_code, s.lon, s.lat, 'submitted', s.location_kind,
           s.fingerprint, s.initials_hash
    FROM temp.staged s LEFT JOIN temp.batch_households h ON h.kk_hash = s.kk_hash
    ${corrections ? sql`WHERE s.corrects IS NULL` : sql``}
    ORDER BY s.seq`);
  await tx.run(sql`INSERT INTO temp.batch_fresh
    SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code, aid_type, recipient_type,
           quantity, location_kind
    FROM temp.staged`);
  const records: ReachRecord[] = [];
  // Aid types as enum codes: numbers cross into JavaScript far cheaper than strings.
  await tx.chunks(
    sql`SELECT h.household_id, h.home_idx, enum_code(s.aid_type)::INTEGER, s.day
        FROM temp.staged s JOIN temp.batch_households h USING (kk_hash)`,
    (columns, n) => {
      const [household, home, aidType, day] = columns as [number[], number[], number[], number[]];
      for (let i = 0; i < n; i++) {
        records.push({
          household: household[i]!,
          home: home[i]!,
          aggregator: org,
          aidType: names[aidType[i]!]!,
          status: 'submitted',
          day: day[i]!,
        });
      }
    },
  );
  return { add: records, remove };
}

/**
 * The batch's rollup deltas: its records (new and corrected) add to `submitted`, the versions its
 * corrections replaced leave their rows (emptied rows removed). The map reads rollups.
 */
async function mergeRollups(tx: Tx, org: string): Promise<void> {
  await tx.run(sql`
    MERGE INTO rollup_rw_day r
    USING (
      SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code,
             ${org}::aggregator_t AS aggregator, aid_type, recipient_type,
             'submitted'::record_status_t AS status,
             sum(quantity)::BIGINT AS packages, count(*)::INTEGER AS records
      FROM temp.batch_fresh GROUP BY ALL
      UNION ALL
      SELECT date, rw_code, kelurahan_code, kecamatan_code, kota_code,
             ${org}::aggregator_t AS aggregator, aid_type, recipient_type, status,
             -sum(quantity)::BIGINT AS packages, -count(*)::INTEGER AS records
      FROM temp.batch_gone GROUP BY ALL
    ) d
    ON r.date = d.date AND r.rw_code IS NOT DISTINCT FROM d.rw_code AND r.kelurahan_code = d.kelurahan_code
       AND r.aggregator = d.aggregator AND r.aid_type = d.aid_type
       AND r.recipient_type = d.recipient_type AND r.status = d.status
    WHEN MATCHED AND r.records + d.records = 0 THEN DELETE
    WHEN MATCHED THEN UPDATE SET packages = r.packages + d.packages, records = r.records + d.records
    WHEN NOT MATCHED THEN INSERT (${raw(ROLLUP_KEYS)}, packages, records)
      VALUES (d.date, d.rw_code, d.kelurahan_code, d.kecamatan_code, d.kota_code, d.aggregator,
              d.aid_type, d.recipient_type, d.status, d.packages, d.records)`);
}

/** Figures of the batch's new records, for the receipt. */
async function freshFigures(tx: Tx) {
  const byType = await tx.rows<{ aid_type: AidType; packages: number }>(
    sql`SELECT aid_type::VARCHAR AS aid_type, sum(quantity)::DOUBLE AS packages
        FROM temp.batch_fresh GROUP BY aid_type`,
  );
  const packages = noPackages();
  for (const t of byType) packages[t.aid_type] = t.packages;
  packages.total = AID_TYPES.reduce((s, t) => s + packages[t], 0);
  const figures = await tx.one<{
    accepted: number;
    rws: number;
    kelurahan: number;
    kelurahan_only: number;
    from: string;
    to: string;
  }>(
    sql`SELECT count(*)::INTEGER AS accepted, count(DISTINCT rw_code)::INTEGER AS rws,
               count(DISTINCT kelurahan_code)::INTEGER AS kelurahan,
               count(*) FILTER (location_kind = 'kelurahan_only')::INTEGER AS kelurahan_only,
               min(date)::VARCHAR AS "from", max(date)::VARCHAR AS "to"
        FROM temp.batch_fresh`,
  );
  return { ...figures, packages };
}

async function dropTemporary(tx: Tx): Promise<void> {
  await tx.run(sql`DROP TABLE IF EXISTS temp.staged`);
  await tx.run(sql`DROP TABLE IF EXISTS temp.known`);
  await tx.run(sql`DROP TABLE IF EXISTS temp.batch_households`);
  await tx.run(sql`DROP TABLE IF EXISTS temp.new_households`);
  await tx.run(sql`DROP TABLE IF EXISTS temp.batch_fresh`);
  await tx.run(sql`DROP TABLE IF EXISTS temp.batch_gone`);
  await tx.run(sql`DROP TABLE IF EXISTS temp.replaced`);
}

/** The reach index merged with the batch's household records (null when merging failed). */
interface NextReach {
  base: ReachIndex;
  changes: { add: ReachRecord[]; remove: ReachRecord[] };
  next: ReachIndex | null;
}

interface Committed {
  outcome: IngestOutcome;
  reach: NextReach | null;
  dates: { from: string; to: string } | null;
}

/**
 * Stores a checked batch as one transaction: records, new households, rollup deltas, the batch,
 * an audit entry, the commit counter and the idempotency key. Storing begins with the first
 * chunk of checked records while later rows are still being checked; a row that fails after all
 * rolls the whole unit back. Re-sent records (same external_id, same content) are counted as
 * already received. A changed one corrects the record when it was returned for correction (a new
 * version, back in `submitted`, the old version kept); otherwise it fails the whole batch. The next reach index is merged inside
 * the unit, in slices so reads keep being answered, and the next state (reach index, extents,
 * versions) is published right after COMMIT, before the answer.
 */
export async function commitBatch(
  db: Database,
  holder: StateHolder,
  req: IngestRequest,
): Promise<IngestOutcome> {
  const { principal, upload } = req;
  if (req.idempotencyKey) {
    // An expired key may be used again: its old row goes first, in its own transaction
    // (DuckDB cannot delete and re-insert one primary key inside a single transaction).
    await db.write((tx) =>
      tx.run(sql`DELETE FROM idempotency_keys WHERE principal_id = ${principal.id}
                 AND key = ${req.idempotencyKey} AND created_at < now() - ${raw(IDEMPOTENCY_TTL)}`),
    );
  }
  let committed: Committed;
  try {
    committed = await db.write(
      (tx) => storeBatch(tx, holder, req),
      (c) => publish(db, holder, c),
    );
  } catch (err) {
    if (err instanceof Rollback) return err.outcome;
    throw err;
  }
  // A replayed or refused key stored nothing; failed checks still come first.
  const checked = await upload.outcome;
  if (checked.problems) return { kind: 'refused', problems: checked.problems };
  return committed.outcome;
}

async function storeBatch(tx: Tx, holder: StateHolder, req: IngestRequest): Promise<Committed> {
  const { principal, upload } = req;
  const none = { reach: null, dates: null };
  if (req.idempotencyKey) {
    const previous = await tx.rows<{ request_sha256: string; status: number; body: string }>(
      sql`SELECT request_sha256, status, body FROM idempotency_keys
          WHERE principal_id = ${principal.id} AND key = ${req.idempotencyKey}
            AND created_at >= now() - ${raw(IDEMPOTENCY_TTL)}`,
    );
    if (previous[0]) {
      if (previous[0].request_sha256 !== upload.sha256) {
        return { outcome: { kind: 'key_reused' }, ...none };
      }
      const status = previous[0].status as 200 | 201;
      const body = JSON.parse(previous[0].body) as BatchReceipt;
      return { outcome: { kind: 'stored', status, body, replayed: true }, ...none };
    }
  }

  const lap = phases('ingest');
  const batchId = secret('b_').slice(0, 18);
  const { names } = await tx.one<{ names: string[] }>(
    sql`SELECT enum_range(NULL::aid_type_t)::VARCHAR[] AS names`,
  );
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE batch_fresh (
    date DATE, rw_code VARCHAR, kelurahan_code VARCHAR, kecamatan_code VARCHAR, kota_code VARCHAR,
    aid_type aid_type_t, recipient_type recipient_type_t, quantity INTEGER, location_kind VARCHAR)`);
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE batch_gone (
    date DATE, rw_code VARCHAR, kelurahan_code VARCHAR, kecamatan_code VARCHAR, kota_code VARCHAR,
    aid_type aid_type_t, recipient_type recipient_type_t, status record_status_t, quantity INTEGER)`);
  const known: KnownRecord[] = [];
  const changed: RowError[] = [];
  const added: ReachRecord[] = [];
  const removed: ReachRecord[] = [];
  let corrected = 0;
  /** Whether a chunk so far held records sent before. */
  let resent = false;
  for await (const chunk of upload.chunks()) {
    await stageChunk(tx, chunk);
    const chunkKnown = await knownRecords(tx, principal.org);
    let chunkCorrections = 0;
    for (const k of chunkKnown) {
      if (k.same) known.push(k);
      else if (k.status === 'returned') chunkCorrections++;
      else {
        changed.push({
          row: k.row,
          column: 'external_id',
          code: 'external_id_changed',
          params: { batch: k.batch_id, status: k.status },
        });
      }
    }
    lap('chunk staged');
    // Once one record is found changed the batch is refused: the rest is only looked through.
    if (changed.length > 0) continue;
    if (chunkKnown.length > 0) resent = true;
    if (resent) {
      // Re-sent records drop out; corrections name the record they replace and take no new id,
      // so new records are numbered again from 1. A KK's first record in the batch may have been
      // a re-sent one, so from here on each chunk marks its own first record of a KK (the
      // household check keeps a KK from getting a second household).
      await tx.run(sql`CREATE OR REPLACE TEMP TABLE staged AS
        SELECT s.* REPLACE (
                 CASE WHEN k.id IS NULL
                      THEN row_number() OVER (PARTITION BY k.id IS NULL ORDER BY s.row) END::INTEGER AS seq,
                 CASE WHEN s.kk_hash IS NOT NULL AND s.row = min(s.row) OVER (PARTITION BY s.kk_hash)
                      THEN 1 END AS first_kk),
               k.id AS corrects
        FROM temp.staged s LEFT JOIN temp.known k ON k.row = s.row
        WHERE NOT coalesce(k.same, false)
        ORDER BY s.row`);
    }
    const stored = await storeChunk(tx, req, batchId, names, chunkCorrections > 0);
    for (const r of stored.add) added.push(r);
    for (const r of stored.remove) removed.push(r);
    corrected += chunkCorrections;
    lap('chunk stored');
  }
  const checked = await upload.outcome;
  if (checked.problems) throw new Rollback({ kind: 'refused', problems: checked.problems });
  if (changed.length > 0) throw new Rollback({ kind: 'conflict', errors: changed });
  const receivedAt = new Date().toISOString();

  if (new Set(known.map((k) => k.row)).size === checked.records) {
    await dropTemporary(tx);
    const batches = [...new Set(known.map((k) => k.batch_id))];
    const body: BatchReceipt = {
      batch_id: batches.length === 1 ? batches[0]! : null,
      accepted: 0,
      already_received: known.length,
      rows: checked.rows,
      packages: noPackages(),
      rws: 0,
      kelurahan: 0,
      kelurahan_only: 0,
      received_at: receivedAt,
      status: 'submitted',
      corrected: 0,
    };
    await storeKey(tx, req, 200, body);
    return { outcome: { kind: 'stored', status: 200, body, replayed: false }, ...none };
  }

  await mergeRollups(tx, principal.org);
  lap('rollup');
  const fresh = await freshFigures(tx);
  await dropTemporary(tx);
  await tx.run(sql`INSERT INTO batches VALUES (${batchId}, ${principal.org}::aggregator_t, 'upload',
                   ${receivedAt}::TIMESTAMPTZ, ${principal.label}, ${checked.rows}, ${fresh.accepted},
                   ${known.length}, ${upload.sha256})`);
  await appendAudit(tx, {
    actor: principal.id,
    actorRole: principal.role,
    actorOrg: principal.org,
    action: 'batch.received',
    batchId,
    toStatus: 'submitted',
    details: {
      rows: checked.rows,
      accepted: fresh.accepted,
      already_received: known.length,
      corrected,
    },
  });
  await tx.run(sql`UPDATE meta SET value = (value::BIGINT + 1)::VARCHAR WHERE key = 'commit_seq'`);
  const body: BatchReceipt = {
    batch_id: batchId,
    accepted: fresh.accepted,
    already_received: known.length,
    rows: checked.rows,
    packages: fresh.packages,
    rws: fresh.rws,
    kelurahan: fresh.kelurahan,
    kelurahan_only: fresh.kelurahan_only,
    received_at: receivedAt,
    status: 'submitted',
    corrected,
  };
  await storeKey(tx, req, 201, body);
  lap('batch');
  const base = holder.current.reach;
  const changes = { add: added, remove: removed };
  let next: ReachIndex | null = base;
  if (added.length + removed.length > 0) {
    try {
      next = await base.withChangesInSlices(changes);
    } catch (err) {
      // The batch is stored all the same; publishing rebuilds the state from the store.
      console.error('[state] merging a batch into the reach index failed', err);
      next = null;
    }
  }
  lap('reach index');
  return {
    outcome: { kind: 'stored', status: 201, body, replayed: false },
    reach: { base, changes, next },
    dates: { from: fresh.from, to: fresh.to },
  };
}

/** Publishes the state after a stored batch; runs after COMMIT, before the next unit. */
function publish(db: Database, holder: StateHolder, c: Committed): void {
  if (!c.dates || !c.reach) return;
  try {
    const { base, changes, next } = c.reach;
    if (!next) throw new Error('the reach index was not merged');
    // Units publish in commit order, so the base is still current unless a reload swapped it.
    const current = holder.current.reach;
    const reach = current === base ? next : current.withChanges(changes);
    holder.swap(afterUpload(holder.current, reach, c.dates));
  } catch (err) {
    // The batch is committed; only the in-memory state lags: rebuild it from the store.
    console.error('[state] publishing a committed batch failed; reloading the state', err);
    void reloadState(db, holder);
  }
}

/** The state after a batch of submitted records: counters, extent and reach index move on. */
function afterUpload(
  state: DataState,
  reach: ReachIndex,
  dates: { from: string; to: string },
): DataState {
  const seq = { ...state.seq, commit: state.seq.commit + 1 };
  return {
    ...state,
    seq,
    ...versions(state.base, seq),
    ctx: { ...state.ctx, fullExtent: widen(state.ctx.fullExtent, dates.from, dates.to) },
    reach,
  };
}
