import type { Principal } from '../auth/principal';
import type { DataContext } from '../context';
import type { Reader } from '../db/database';
import { joinSql, raw, sql, type Sql } from '../db/sql';
import type { RecordStatus } from '../domain';
import { recordScope } from './rules';

export const DUPLICATE_FLAG = 'possible_duplicate';

/** One record as verifiers, aggregators and planners see it (never a KK or its hash). */
export interface RecordRow {
  id: number;
  external_id: string;
  status: RecordStatus;
  rw_code: string | null;
  kelurahan_code: string;
  kelurahan_name: string;
  rw_name: string | null;
  flags: string[];
  batch_id: string;
  aggregator: string;
  aggregator_name: string;
  date: string;
  aid_type: string;
  quantity: number;
  recipient_type: string;
  location_kind: string;
  lon: number | null;
  lat: number | null;
  version: number;
  received_at: string;
  reason: string | null;
  note: string | null;
}

export interface RecordQuery {
  statuses: RecordStatus[];
  batchId?: string;
  kelurahan?: string;
  aggregator?: string;
  from?: string;
  to?: string;
  flaggedOnly?: boolean;
  offset: number;
  limit: number;
}

/**
 * Ids of the `candidates` (a query over `distributions d`) that another aggregator's record
 * makes possible duplicates: the same household and aid type within the window, not rejected.
 * The province's worry: one household served twice while its neighbours got nothing. Written
 * as a join from the (few) candidates to all records, so the hash table holds the candidates.
 */
export function flaggedIds(candidates: Sql, windowDays: number): Sql {
  return sql`SELECT DISTINCT c.id FROM (${candidates}) c
    JOIN distributions o
      ON o.household_id = c.household_id AND o.aid_type = c.aid_type AND o.aggregator <> c.aggregator
     AND o.status <> 'rejected'
     AND o.date BETWEEN c.date - ${windowDays}::INTEGER AND c.date + ${windowDays}::INTEGER`;
}

/** The columns `flaggedIds` needs from each candidate record. */
export const CANDIDATE = raw('d.id, d.household_id, d.aid_type, d.aggregator, d.date');

function statusIn(statuses: readonly RecordStatus[]): Sql {
  return sql`d.status IN (${joinSql(
    statuses.map((s) => sql`${s}::record_status_t`),
    ', ',
  )})`;
}

function whereOf(p: Principal, q: RecordQuery, windowDays: number): Sql {
  const parts: Sql[] = [recordScope(p), statusIn(q.statuses)];
  if (q.batchId) parts.push(sql`d.batch_id = ${q.batchId}`);
  if (q.kelurahan) parts.push(sql`d.kelurahan_code = ${q.kelurahan}`);
  if (q.aggregator) parts.push(sql`d.aggregator = ${q.aggregator}::aggregator_t`);
  if (q.from) parts.push(sql`d.date >= ${q.from}::DATE`);
  if (q.to) parts.push(sql`d.date <= ${q.to}::DATE`);
  const where = joinSql(parts, ' AND ');
  if (!q.flaggedOnly) return where;
  const flagged = flaggedIds(
    sql`SELECT ${CANDIDATE} FROM distributions d WHERE ${where} AND d.household_id IS NOT NULL`,
    windowDays,
  );
  return sql`${where} AND d.id IN (${flagged})`;
}

const ROW_COLUMNS = raw(`d.id::DOUBLE AS id, d.external_id, d.status::VARCHAR AS status, d.rw_code,
  d.kelurahan_code, d.batch_id, d.aggregator::VARCHAR AS aggregator, strftime(d.date, '%Y-%m-%d') AS date,
  d.aid_type::VARCHAR AS aid_type, d.quantity, d.recipient_type::VARCHAR AS recipient_type,
  d.location_kind, d.lon, d.lat, d.version, epoch_ms(b.received_at)::DOUBLE AS received_ms,
  d.status_reason AS reason, d.status_note AS note`);

type RawRow = Omit<
  RecordRow,
  'flags' | 'kelurahan_name' | 'rw_name' | 'aggregator_name' | 'received_at'
> & {
  received_ms: number;
  duplicate: boolean;
};

function shape(r: RawRow, ctx: DataContext): RecordRow {
  const { received_ms, duplicate, ...rest } = r;
  return {
    ...rest,
    id: Number(r.id),
    kelurahan_name: ctx.regions.get(r.kelurahan_code)?.name ?? r.kelurahan_code,
    rw_name: r.rw_code ? (ctx.regions.get(r.rw_code)?.name ?? r.rw_code) : null,
    aggregator_name: ctx.aggregatorNames.get(r.aggregator) ?? r.aggregator,
    flags: duplicate ? [DUPLICATE_FLAG] : [],
    received_at: new Date(Number(received_ms)).toISOString(),
  };
}

/** A page of the records a caller may see, oldest upload first, with the total. */
export async function listRecords(
  db: Reader,
  ctx: DataContext,
  p: Principal,
  q: RecordQuery,
  windowDays: number,
): Promise<{ rows: RecordRow[]; total: number }> {
  const where = whereOf(p, q, windowDays);
  const [rows, count] = await Promise.all([
    db.rows<RawRow>(sql`
      WITH b AS (
        SELECT d.id, b.received_at FROM distributions d JOIN batches b USING (batch_id)
        WHERE ${where}
        ORDER BY b.received_at, d.id
        LIMIT ${q.limit} OFFSET ${q.offset}
      )
      SELECT ${ROW_COLUMNS},
             d.id IN (${flaggedIds(sql`SELECT ${CANDIDATE} FROM b JOIN distributions d ON d.id = b.id`, windowDays)}) AS duplicate
      FROM b JOIN distributions d ON d.id = b.id
      ORDER BY b.received_at, d.id`),
    db.one<{ n: number }>(sql`SELECT count(*)::DOUBLE AS n FROM distributions d WHERE ${where}`),
  ]);
  return { rows: rows.map((r) => shape(r, ctx)), total: Number(count.n) };
}

/** One record in the caller's scope, or null (unknown and out of scope look the same). */
export async function getRecord(
  db: Reader,
  ctx: DataContext,
  p: Principal,
  id: number,
  windowDays: number,
): Promise<RecordRow | null> {
  const rows = await db.rows<RawRow>(sql`
    SELECT ${ROW_COLUMNS},
           d.id IN (${flaggedIds(sql`SELECT ${CANDIDATE} FROM distributions d WHERE d.id = ${id}`, windowDays)}) AS duplicate
    FROM distributions d JOIN batches b USING (batch_id)
    WHERE d.id = ${id} AND ${recordScope(p)}`);
  return rows[0] ? shape(rows[0], ctx) : null;
}

export interface DuplicateLink {
  id: number;
  aggregator: string;
  aggregator_name: string;
  date: string;
  aid_type: string;
  status: RecordStatus;
  kelurahan_code: string;
  /** Whether the caller may open the other record (it is in their scope). */
  visible: boolean;
}

/** The other aggregators' records that make this one a possible duplicate. */
export async function duplicatesOf(
  db: Reader,
  ctx: DataContext,
  p: Principal,
  id: number,
  windowDays: number,
): Promise<DuplicateLink[]> {
  const rows = await db.rows<Omit<DuplicateLink, 'aggregator_name'>>(sql`
    SELECT o.id::DOUBLE AS id, o.aggregator::VARCHAR AS aggregator, strftime(o.date, '%Y-%m-%d') AS date,
           o.aid_type::VARCHAR AS aid_type, o.status::VARCHAR AS status, o.kelurahan_code,
           ${recordScope(p, 'o')} AS visible
    FROM distributions r JOIN distributions o
      ON o.household_id = r.household_id AND o.aid_type = r.aid_type AND o.aggregator <> r.aggregator
     AND o.status <> 'rejected'
     AND o.date BETWEEN r.date - ${windowDays}::INTEGER AND r.date + ${windowDays}::INTEGER
    WHERE r.id = ${id}
    ORDER BY o.date, o.id`);
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    aggregator_name: ctx.aggregatorNames.get(r.aggregator) ?? r.aggregator,
  }));
}
