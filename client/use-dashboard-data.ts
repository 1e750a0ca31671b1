import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import {
  boundariesOptions,
  choroplethOptions,
  gapsOptions,
  institutionsOptions,
  metaOptions,
  summaryOptions,
  timeseriesOptions,
  type Boundaries,
  type ChoroplethRow,
  type QueryFilters,
} from './api';
import { ancestry, childLevel, effectiveRange, levelOfArea, type ViewState } from './url-state';

/** Rows of the most-underserved table. */
export const GAP_ROWS = 25;
const NO_FILTERS: QueryFilters = { from: '', to: '', aid: [], aggregator: [], recipient: [] };

/**
 * Everything the dashboard shows for a view: the server's lists, the resolved filters, the
 * geometry of the level shown and the answers to the view's questions. Data queries wait for
 * /api/meta (the date extent and the known slugs); answers of the previous view stay on screen
 * while the next load.
 */
export function useDashboardData(view: ViewState) {
  const meta = useQuery(metaOptions());
  const extent = meta.data?.date_extent;
  const range = useMemo(() => (extent ? effectiveRange(view, extent) : null), [view, extent]);
  // Unknown slugs from a link are dropped rather than sent.
  const filters = useMemo((): QueryFilters | null => {
    if (!meta.data || !range) return null;
    const aggregators = new Set<string>(meta.data.aggregators.map((a) => a.slug));
    const recipients = new Set<string>(meta.data.recipient_types.map((r) => r.slug));
    return {
      ...range,
      aid: view.aid,
      aggregator: view.aggregator.filter((a) => aggregators.has(a)),
      recipient: view.recipient.filter((r) => recipients.has(r)),
    };
  }, [meta.data, range, view.aid, view.aggregator, view.recipient]);
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
    range,
    filters,
    level,
    boundaries,
    shown,
    choropleth,
    rows,
    summary,
    series,
    gaps,
    institutions,
    crumbs,
    areaStatus,
    failed: meta.isError || boundaries.isError || choropleth.isError,
  };
}
