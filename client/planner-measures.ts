import {
  UNVERIFIED_VIEW_STATUSES,
  type ChoroplethRow,
  type OverlapRow,
  type Principal,
  type RecordStatus,
} from './api';
import { canSeeUnverified } from './record-scope';
import { DEFAULT_METRIC, isPlannerMetric, type MetricKey } from './url-state';

/**
 * The records the overlap measure counts: every record still in the pipeline and the verified
 * ones (rejected and returned records stay out). A household served twice matters before the
 * second record is verified, while it can still be caught.
 */
export const OVERLAP_STATUSES: readonly RecordStatus[] = UNVERIFIED_VIEW_STATUSES;

/** A region's figures for the planner measures; null where the answer is not there yet. */
export interface PlannerFigures {
  /** Records submitted or verified by the kelurahan only, by distribution date. */
  records_waiting: number | null;
  /**
   * Households served by more than one aggregator ÷ households served, to two significant
   * digits as the map writes it (so a region's colour matches the legend's rounded breaks);
   * null: none served.
   */
  multi_aggregator_share: number | null;
  households_multi_aggregator: number | null;
  /** Households served by the records the overlap counts (verified or still being checked). */
  households_served: number | null;
}

/** A region as the map colours it: the public figures, and for planners their own measures. */
export type MapRow = ChoroplethRow & Partial<PlannerFigures>;

/**
 * The measure the map shows: a planner measure for planners and admins only, and kept while the
 * session is not known yet (so a planner's link does not first show another measure); anyone
 * else sees the default measure, while the link keeps what it says.
 */
export function shownMetric(metric: MetricKey, principal: Principal | null | undefined): MetricKey {
  if (!isPlannerMetric(metric) || principal === undefined) return metric;
  return canSeeUnverified(principal) ? metric : DEFAULT_METRIC;
}

/** Answers of the planner queries, indexed by region code. */
export interface PlannerAnswers {
  waiting: ReadonlyMap<string, ChoroplethRow> | undefined;
  overlap: ReadonlyMap<string, OverlapRow> | undefined;
}

export function byCode<T extends { code: string }>(rows: readonly T[] | undefined) {
  return rows ? new Map(rows.map((r) => [r.code, r] as [string, T])) : undefined;
}

/**
 * One region's planner figures. A region missing from a loaded answer has no such records: no
 * record waiting, no household served (so no share).
 */
export function plannerFigures(code: string, answers: PlannerAnswers): PlannerFigures {
  const waiting = answers.waiting ? (answers.waiting.get(code)?.records ?? 0) : null;
  const overlap = answers.overlap?.get(code);
  return {
    records_waiting: waiting,
    multi_aggregator_share: asShown(overlap?.multi_aggregator_share ?? null),
    households_multi_aggregator: answers.overlap
      ? (overlap?.households_multi_aggregator ?? 0)
      : null,
    households_served: answers.overlap ? (overlap?.households_reached ?? 0) : null,
  };
}

function asShown(share: number | null): number | null {
  return share === null ? null : Number(share.toPrecision(2));
}

/** The public rows with the planner figures added (new objects; the public rows stay as they are). */
export function withPlannerFigures(
  rows: ReadonlyMap<string, ChoroplethRow>,
  answers: PlannerAnswers,
): Map<string, MapRow> {
  const out = new Map<string, MapRow>();
  for (const [code, row] of rows) out.set(code, { ...row, ...plannerFigures(code, answers) });
  return out;
}

/** The region a code lies in (a kelurahan's kecamatan); undefined for a kota. */
export function parentOf(code: string): string | undefined {
  const parts = code.split('.');
  return parts.length > 2 ? parts.slice(0, -1).join('.') : undefined;
}
