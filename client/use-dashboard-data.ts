import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import {
  boundariesOptions,
  HttpError,
  choroplethOptions,
  gapsOptions,
  institutionsOptions,
  metaOptions,
  summaryOptions,
  timeseriesOptions,
  sessionOptions,
  type Boundaries,
  type ChoroplethRow,
  type Principal,
  type QueryFilters,
} from './api';
import { canSeeUnverified, statusesFor } from './record-scope';
import {
  ancestry,
  childLevel,
  effectiveRange,
  isPlannerMetric,
  levelOfArea,
  type MetricKey,
  type ViewState,
} from './url-state';

/** Rows of the most-underserved table. */
export const GAP_ROWS = 25;
const NO_FILTERS: QueryFilters = {
  from: '',
  to: '',
  aid: [],
  aggregator: [],
  recipient: [],
  status: [],
};

/**
 * Everything the dashboard shows for a view: the server's lists, the resolved filters, the
 * geometry of the level shown and the answers to the view's questions. Data queries wait for
 * /api/meta (the date extent and the known slugs); answers of the previous view stay on screen
 * while the next load. `principal` is the signed-in caller (null signed out, undefined not known
 * yet): only planners and admins get figures with unverified records. `metric` is the measure
 * shown.
 */
export function useDashboardData(
  view: ViewState,
  principal: Principal | null | undefined,
  metric: MetricKey,
) {
  const queryClient = useQueryClient();
  const meta = useQuery(metaOptions());
  const status = statusesFor(view.records, principal);
  // With unverified records, or a planner measure (which counts records still being checked),
  // the window spans every record's dates (the session names them).
  const everyRecord =
    (status?.length ?? 0) > 0 || (isPlannerMetric(metric) && canSeeUnverified(principal));
  const extent = (everyRecord ? principal?.records_extent : null) ?? meta.data?.date_extent;
  const range = useMemo(() => (extent ? effectiveRange(view, extent) : null), [view, extent]);
  // Unknown slugs from a link are dropped rather than sent.
  const filters = useMemo((): QueryFilters | null => {
    if (!meta.data || !range || !status) return null;
    const aggregators = new Set<string>(meta.data.aggregators.map((a) => a.slug));
    const recipients = new Set<string>(meta.data.recipient_types.map((r) => r.slug));
    return {
      ...range,
      aid: view.aid,
      aggregator: view.aggregator.filter((a) => aggregators.has(a)),
      recipient: view.recipient.filter((r) => recipients.has(r)),
      status,
    };
  }, [meta.data, range, status, view.aid, view.aggregator, view.recipient]);
  const unverified = (filters?.status.length ?? 0) > 0;
  const level = view.area ? childLevel(levelOfArea(view.area)) : view.level;

  // The regions above the area, with their geometry (for names and to fly back to them).
  const crumbCodes = ancestry(view.area);
  const crumbBoundaries = useQueries({
    queries: crumbCodes.map((code) => boundariesOptions(levelOfArea(code), meta.data)),
  });
  const crumbs = crumbCodes.map((code, i) => ({
    code,
    feature: crumbBoundaries[i]?.data?.features.find((x) => x.properties.code === code),
  }));

  // A link's area counts once its geometry is found; an unknown one is dropped, not asked about.
  const areaStatus = !view.area
    ? 'none'
    : crumbBoundaries.some((q) => q.isPending)
      ? 'loading'
      : crumbs.at(-1)?.feature
        ? 'known'
        : 'unknown';
  const area = areaStatus === 'known' ? view.area : undefined;
  const f = filters ?? NO_FILTERS;
  const ready = filters !== null && (areaStatus === 'none' || areaStatus === 'known');

  const boundaries = useQuery(boundariesOptions(level, meta.data));
  const choropleth = useQuery({
    ...choroplethOptions(level, f, area),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  const summary = useQuery({
    ...summaryOptions(f, area),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  const series = useQuery({
    ...timeseriesOptions(f, area),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  const gaps = useQuery({
    ...gapsOptions(level, f, GAP_ROWS, area),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  const institutions = useQuery({
    ...institutionsOptions(f, view.institutions, area),
    enabled: ready && view.institutions.length > 0,
    placeholderData: keepPreviousData,
  });
  // With unverified records, the public figures too: the page says how much is still checked.
  const publicSummary = useQuery({
    ...summaryOptions({ ...f, status: [] }, area),
    enabled: ready && unverified,
  });

  // Refused figures with unverified records mean the session ended (or lost its role): ask who
  // is signed in again, and the page falls back to the public figures.
  const refused = [choropleth, summary, series, gaps, institutions].some(
    (q) => q.error instanceof HttpError && (q.error.status === 401 || q.error.status === 403),
  );
  useEffect(() => {
    if (refused && unverified)
      void queryClient.invalidateQueries({ queryKey: sessionOptions().queryKey });
  }, [refused, unverified, queryClient]);

  // Only the regions inside the area; the collection stays the same object while the geometry
  // does, so deck.gl does not re-tessellate on filter changes.
  const shown = useMemo((): Boundaries | undefined => {
    if (!boundaries.data || !view.area) return boundaries.data;
    const prefix = `${view.area}.`;
    return {
      ...boundaries.data,
      features: boundaries.data.features.filter((x) => x.properties.code.startsWith(prefix)),
    };
  }, [boundaries.data, view.area]);
  const rows = useMemo(
    () => new Map((choropleth.data?.rows ?? []).map((r) => [r.code, r] as [string, ChoroplethRow])),
    [choropleth.data],
  );

  return {
    meta,
    extent,
    range,
    filters,
    level,
    boundaries,
    shown,
    choropleth,
    rows,
    summary,
    publicSummary,
    unverified,
    series,
    gaps,
    institutions,
    crumbs,
    areaStatus,
    /** The area drilled into, once known to exist. */
    area,
    /** The view's questions may be asked (filters resolved, the area known). */
    ready,
    failed: meta.isError || boundaries.isError || choropleth.isError,
  };
}
