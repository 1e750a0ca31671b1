import type { Principal } from '../auth/principal';
import type { DataContext } from '../context';
import type { Reader } from '../db/database';
import { sql } from '../db/sql';
import { recordScope } from './rules';

export interface AggregatorQueue {
  aggregator: string;
  aggregator_name: string;
  /** Waiting for the kelurahan check. */
  submitted: number;
  /** Waiting for the province check. */
  verified_kelurahan: number;
  verified: number;
  rejected: number;
  returned: number;
  /** When the oldest record still waiting (either check) was uploaded; null when none waits. */
  oldest_waiting: string | null;
  /** Median hours from upload to the province's verification, over records verified here. */
  median_hours_to_verified: number | null;
}

/** Per aggregator: how much waits at each check, and how long final verification takes. */
export async function queueStats(
  db: Reader,
  ctx: DataContext,
  p: Principal,
): Promise<AggregatorQueue[]> {
  const rows = await db.rows<
    Omit<AggregatorQueue, 'aggregator_name' | 'oldest_waiting'> & { oldest_ms: number | null }
  >(sql`
    SELECT d.aggregator::VARCHAR AS aggregator,
           count(*) FILTER (d.status = 'submitted')::DOUBLE AS submitted,
           count(*) FILTER (d.status = 'verified_kelurahan')::DOUBLE AS verified_kelurahan,
           count(*) FILTER (d.status = 'verified')::DOUBLE AS verified,
           count(*) FILTER (d.status = 'rejected')::DOUBLE AS rejected,
           count(*) FILTER (d.status = 'returned')::DOUBLE AS returned,
           epoch_ms(min(b.received_at) FILTER (d.status IN ('submitted', 'verified_kelurahan')))::DOUBLE AS oldest_ms,
           median((epoch_ms(d.status_at) - epoch_ms(b.received_at)) / 3600000.0)
             FILTER (d.status = 'verified' AND d.status_at IS NOT NULL)::DOUBLE AS median_hours_to_verified
    FROM distributions d JOIN batches b USING (batch_id)
    WHERE ${recordScope(p)}
    GROUP BY d.aggregator
    ORDER BY d.aggregator`);
  return rows.map(({ oldest_ms, ...r }) => ({
    ...r,
    submitted: Number(r.submitted),
    verified_kelurahan: Number(r.verified_kelurahan),
    verified: Number(r.verified),
    rejected: Number(r.rejected),
    returned: Number(r.returned),
    aggregator_name: ctx.aggregatorNames.get(r.aggregator) ?? r.aggregator,
    oldest_waiting: oldest_ms === null ? null : new Date(Number(oldest_ms)).toISOString(),
    median_hours_to_verified:
      r.median_hours_to_verified === null
        ? null
        : Math.round(Number(r.median_hours_to_verified) * 10) / 10,
  }));
}
