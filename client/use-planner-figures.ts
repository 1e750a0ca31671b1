import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import {
  choroplethOptions,
  HttpError,
  overlapOptions,
  sessionOptions,
  WAITING_STATUSES,
  type Principal,
  type QueryFilters,
} from './api';
import { byCode, OVERLAP_STATUSES, type PlannerAnswers } from './planner-measures';
import { canSeeUnverified } from './record-scope';
import type { LevelKey, MetricKey } from './url-state';
import { callerKey } from './verify-rules';

const NO_FILTERS: QueryFilters = {
  from: '',
  to: '',
  aid: [],
  aggregator: [],
  recipient: [],
  status: [],
};

/**
 * The planner measures of the regions at `level` inside `parent`: records waiting (when that
 * measure is shown) and households served by more than one aggregator (when shown, or when
 * `withOverlap` asks for it). Nothing is asked for anyone but planners and admins; a refusal
 * means the session ended, and the session is asked for again.
 */
export function usePlannerFigures({
  principal,
  metric,
  level,
  filters,
  parent,
  enabled,
  withOverlap = false,
}: {
  principal: Principal | null | undefined;
  metric: MetricKey;
  level: LevelKey;
  filters: QueryFilters | null;
  parent: string | undefined;
  enabled: boolean;
  withOverlap?: boolean;
}) {
  const queryClient = useQueryClient();
  const planner = canSeeUnverified(principal);
  const caller = principal && planner ? callerKey(principal) : '';
  const f = filters ?? NO_FILTERS;
  const on = planner && enabled && filters !== null;

  const waiting = useQuery({
    ...choroplethOptions(level, { ...f, status: WAITING_STATUSES }, parent),
    enabled: on && metric === 'records_waiting',
    placeholderData: keepPreviousData,
  });
  const overlap = useQuery({
    ...overlapOptions(
      caller,
      level,
      { from: f.from, to: f.to, aid: f.aid, status: OVERLAP_STATUSES },
      parent,
    ),
    enabled: on && (withOverlap || metric === 'multi_aggregator_share'),
    placeholderData: keepPreviousData,
  });

  const refused = [waiting, overlap].some(
    (q) => q.error instanceof HttpError && (q.error.status === 401 || q.error.status === 403),
  );
  useEffect(() => {
    if (refused) void queryClient.invalidateQueries({ queryKey: sessionOptions().queryKey });
  }, [refused, queryClient]);

  const answers = useMemo(
    (): PlannerAnswers => ({
      waiting: planner ? byCode(waiting.data?.rows) : undefined,
      overlap: planner ? byCode(overlap.data?.rows) : undefined,
    }),
    [planner, waiting.data, overlap.data],
  );
  const query = metric === 'records_waiting' ? waiting : overlap;
  return {
    answers,
    /** The shown planner measure's answer is the current one (not the previous view's). */
    settled: query.data !== undefined && !query.isPlaceholderData,
    /** Rows of the previous view stay while the next load. */
    overlapStale: overlap.isPlaceholderData,
    failed: query.isError,
  };
}
