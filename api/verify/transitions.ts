import type { Principal } from '../auth/principal';
import { widen } from '../context';
import type { Database, Tx } from '../db/database';
import { ROLLUP_KEYS } from '../db/schema';
import { raw, sql, type Sql } from '../db/sql';
import type { RecordStatus } from '../domain';
import { ApiError } from '../errors';
import type { ReachIndex, ReachRecord } from '../reach-index';
import { reloadState, versions, type DataState, type StateHolder } from '../state';
import { phases } from '../timing';
import { flaggedIds } from './records';
import { mayMoveTo, recordScope, workState, type Reason, type Target } from './rules';

/** Which records a transition asks for: a list, or every clean one of a batch or kelurahan-day. */
export type Selector =
  { ids: number[] } | { batch_id: string } | { kelurahan: string; date: string };

export interface TransitionRequest {
  selector: Selector;
  to: Target;
  reason: Reason | null;
  note: string | null;
}

export interface TransitionResult {
  moved: number;
  to: Target;
  ids: number[];
}

/** At most this many ids per request (a bulk action over a batch has no such limit). */
export const MAX_IDS = 10_000;
/** Error details list at most this many records. */
const LISTED = 100;

interface Selected {
  id: number;
  status: RecordStatus | null;
  in_scope: boolean;
  household_id: number | null;
  home_idx: number | null;
  aggregator: string;
  aid_type: string;
  day: number;
  date: string;
}

interface Moved {
  result: TransitionResult;
  reach: {
    changes: { remove: ReachRecord[]; add: ReachRecord[] };
    /** The index the changes were merged into, and the merged one (null when merging failed). */
    base: ReachIndex;
    next: ReachIndex | null;
  } | null;
  verifiedDates: { from: string; to: string } | null;
}

/** What later steps need of each selected record: checks, rollup keys, audit and reach fields. */
const MOVING_COLUMNS =
  raw(`d.id AS record_id, d.status, d.household_id, h.home_idx, d.aggregator, d.aid_type,
  d.date, d.rw_code, d.kelurahan_code, d.kecamatan_code, d.kota_code, d.recipient_type, d.quantity,
  d.batch_id, d.version`);

/**
 * Fills temp.moving with the records the selector names, read from the store once: a list of
 * ids keeps unknown and out-of-scope ids (checked afterwards); a batch or kelurahan-day takes
 * the clean records the caller may move now.
 */
async function select(tx: Tx, p: Principal, selector: Selector, windowDays: number): Promise<void> {
  if ('ids' in selector) {
    await tx.run(sql`CREATE OR REPLACE TEMP TABLE asked (id BIGINT)`);
    await tx.append(
      'asked',
      [...new Set(selector.ids)].map((id) => [id]),
      { temp: true },
    );
    await tx.run(sql`CREATE OR REPLACE TEMP TABLE moving AS
      SELECT a.id, coalesce(${recordScope(p)}, false) AS in_scope, ${MOVING_COLUMNS}
      FROM temp.asked a
      LEFT JOIN distributions d ON d.id = a.id
      LEFT JOIN households h ON h.household_id = d.household_id`);
    return;
  }
  const from = workState(p.role)!;
  const where: Sql =
    'batch_id' in selector
      ? sql`d.batch_id = ${selector.batch_id}`
      : sql`d.kelurahan_code = ${selector.kelurahan} AND d.date = ${selector.date}::DATE`;
  await tx.run(sql`CREATE OR REPLACE TEMP TABLE moving AS
    WITH candidates AS (
      SELECT d.id, true AS in_scope, ${MOVING_COLUMNS}
      FROM distributions d LEFT JOIN households h ON h.household_id = d.household_id
      WHERE ${where} AND ${recordScope(p)} AND d.status = ${from}::record_status_t
    )
    SELECT * FROM candidates
    WHERE id NOT IN (${flaggedIds(sql`SELECT * FROM candidates d`, windowDays)})`);
}

/**
 * Moves the selected records to `to`, all or none, in one transaction with the rollups, the
 * audit trail (one entry per record) and the commit counters; the reach index, the verified
 * extent and the versions follow right after COMMIT, before the answer.
 */
export async function applyTransition(
  db: Database,
  holder: StateHolder,
  p: Principal,
  req: TransitionRequest,
  windowDays: number,
): Promise<TransitionResult> {
  const from = workState(p.role);
  if (!from || !mayMoveTo(p.role, req.to)) {
    throw new ApiError(403, 'forbidden', `A ${p.role} may not move records to ${req.to}.`, {
      role: p.role,
      to: req.to,
    });
  }
  const moved = await db.write(
    async (tx): Promise<Moved> => {
      const lap = phases('transition');
      await select(tx, p, req.selector, windowDays);
      lap('select');
      const rows = await tx.rows<Selected>(sql`
        SELECT id::DOUBLE AS id, status::VARCHAR AS status, in_scope, household_id, home_idx,
               aggregator::VARCHAR AS aggregator, aid_type::VARCHAR AS aid_type,
               (date - DATE '1970-01-01')::INTEGER AS day, strftime(date, '%Y-%m-%d') AS date
        FROM temp.moving ORDER BY id`);
      lap('load');
      const missing = rows.filter((r) => r.status === null || !r.in_scope).map((r) => Number(r.id));
      if (missing.length > 0) {
        throw new ApiError(
          404,
          'record_not_found',
          `${missing.length} record(s) do not exist or are not yours to act on; nothing was changed.`,
          { ids: missing.slice(0, LISTED), total: missing.length },
        );
      }
      const wrong = rows.filter((r) => r.status !== from);
      if (wrong.length > 0) {
        throw new ApiError(
          409,
          'invalid_transition',
          `${wrong.length} record(s) are not ${from} any more (or not yet); nothing was changed.`,
          {
            records: wrong.slice(0, LISTED).map((r) => ({ id: Number(r.id), status: r.status })),
            total: wrong.length,
            expected: from,
          },
        );
      }
      const ids = rows.map((r) => Number(r.id));
      if (ids.length === 0) {
        return { result: { moved: 0, to: req.to, ids }, reach: null, verifiedDates: null };
      }
      await moveRollups(tx, from, req.to);
      lap('rollups');
      await tx.run(sql`UPDATE distributions SET status = ${req.to}::record_status_t,
                         status_reason = ${req.reason}, status_note = ${req.note}, status_at = now()
                       WHERE id IN (SELECT id FROM temp.moving)`);
      lap('update');
      await tx.run(sql`INSERT INTO audit_log
        SELECT (SELECT coalesce(max(id), 0) FROM audit_log) + row_number() OVER (ORDER BY m.id), now(),
               ${p.id}, ${p.role}, ${p.org}, 'record.transition', m.batch_id, m.id, ${from}, ${req.to},
               ${req.reason}, json_object('note', ${req.note}, 'version', m.version, 'kelurahan', m.kelurahan_code)
        FROM temp.moving m`);
      await tx.run(sql`UPDATE meta SET value = (value::BIGINT + 1)::VARCHAR
                       WHERE key = 'commit_seq' OR (key = 'public_seq' AND ${req.to === 'verified'})`);
      lap('audit');

      const remove: ReachRecord[] = [];
      const add: ReachRecord[] = [];
      let verifiedDates: Moved['verifiedDates'] = null;
      for (const r of rows) {
        if (req.to === 'verified') verifiedDates = widen(verifiedDates, r.date, r.date);
        if (r.household_id === null || r.home_idx === null) continue;
        const base = {
          household: r.household_id,
          home: r.home_idx,
          aggregator: r.aggregator,
          aidType: r.aid_type,
          day: r.day,
        };
        remove.push({ ...base, status: from });
        add.push({ ...base, status: req.to });
      }
      // Merged here, in slices, so reads keep being answered; publish only swaps it in.
      const base = holder.current.reach;
      let next: ReachIndex | null = base;
      if (add.length > 0) {
        try {
          next = await base.withChangesInSlices({ remove, add });
        } catch (err) {
          console.error('[state] merging a transition into the reach index failed', err);
          next = null;
        }
      }
      lap('reach index');
      return {
        result: { moved: ids.length, to: req.to, ids },
        reach: { changes: { remove, add }, base, next },
        verifiedDates,
      };
    },
    (m) => {
      if (m.result.moved === 0) return;
      try {
        const lap = phases('transition');
        holder.swap(afterTransition(holder.current, m));
        lap('publish');
      } catch (err) {
        console.error('[state] publishing a transition failed; reloading the state', err);
        void reloadState(db, holder);
      }
    },
  );
  return moved.result;
}

/** Rollup rows move from the old state to the new one: signed deltas, emptied rows removed. */
async function moveRollups(tx: Tx, from: RecordStatus, to: Target): Promise<void> {
  await tx.run(sql`
    MERGE INTO rollup_rw_day r
    USING (
      SELECT d.date, d.rw_code, d.kelurahan_code, d.kecamatan_code, d.kota_code, d.aggregator, d.aid_type,
             d.recipient_type, v.status, (v.sign * sum(d.quantity))::BIGINT AS packages,
             (v.sign * count(*))::INTEGER AS records
      FROM temp.moving d
      CROSS JOIN (VALUES (${from}::record_status_t, -1), (${to}::record_status_t, 1)) v(status, sign)
      GROUP BY d.date, d.rw_code, d.kelurahan_code, d.kecamatan_code, d.kota_code, d.aggregator, d.aid_type,
               d.recipient_type, v.status, v.sign
    ) m
    ON r.date = m.date AND r.rw_code IS NOT DISTINCT FROM m.rw_code AND r.kelurahan_code = m.kelurahan_code
       AND r.aggregator = m.aggregator AND r.aid_type = m.aid_type
       AND r.recipient_type = m.recipient_type AND r.status = m.status
    WHEN MATCHED AND r.records + m.records = 0 THEN DELETE
    WHEN MATCHED THEN UPDATE SET packages = r.packages + m.packages, records = r.records + m.records
    WHEN NOT MATCHED THEN INSERT (${raw(ROLLUP_KEYS)}, packages, records)
      VALUES (m.date, m.rw_code, m.kelurahan_code, m.kecamatan_code, m.kota_code, m.aggregator,
              m.aid_type, m.recipient_type, m.status, m.packages, m.records)`);
}

/** The merged index; merged again when another state was swapped in meanwhile (a reload). */
function nextReach(current: ReachIndex, r: NonNullable<Moved['reach']>): ReachIndex {
  if (r.changes.add.length === 0) return current;
  if (!r.next) throw new Error('the reach index was not merged');
  return current === r.base ? r.next : current.withChanges(r.changes);
}

/** The state after a transition: counters, the verified extent and the reach index move on. */
function afterTransition(state: DataState, m: Moved): DataState {
  const seq = {
    commit: state.seq.commit + 1,
    public: state.seq.public + (m.result.to === 'verified' ? 1 : 0),
  };
  const ctx = m.verifiedDates
    ? { ...state.ctx, extent: widen(state.ctx.extent, m.verifiedDates.from, m.verifiedDates.to) }
    : state.ctx;
  return {
    ...state,
    seq,
    ...versions(state.base, seq),
    ctx,
    reach: nextReach(state.reach, m.reach!),
  };
}
