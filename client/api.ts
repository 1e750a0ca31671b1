import { queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { AreaDetail } from '../api/db/area';
import type { ChoroplethRow } from '../api/db/choropleth';
import type { GapRow } from '../api/db/gaps';
import type { InstitutionRow } from '../api/db/institutions';
import type { Meta } from '../api/routes/meta';
import type { Summary } from '../api/db/summary';
import type { TimePoint } from '../api/db/timeseries';
import type { AidKey } from './url-state';

export type { AreaDetail, ChoroplethRow, GapRow, Meta, Summary, TimePoint };
export type Boundaries = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;
export type Institutions = FeatureCollection<Point, Omit<InstitutionRow, 'lon' | 'lat'>>;

/** The filters every data request carries (dates already resolved against the data's extent). */
export interface QueryFilters {
  from: string;
  to: string;
  aid: readonly AidKey[];
  aggregator: readonly string[];
  recipient: readonly string[];
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** The API query string for filters plus extra parameters (empty ones left out). */
export function queryString(
  f: QueryFilters | null,
  extra: Record<string, string | undefined> = {},
): string {
  const p = new URLSearchParams();
  if (f) {
    p.set('from', f.from);
    p.set('to', f.to);
    if (f.aid.length) p.set('aid_type', f.aid.join(','));
    if (f.aggregator.length) p.set('aggregator', f.aggregator.join(','));
    if (f.recipient.length) p.set('recipient_type', f.recipient.join(','));
  }
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  return p.toString();
}

export const metaOptions = () =>
  queryOptions({
    queryKey: ['meta'],
    queryFn: () => getJson<Meta>('/api/meta'),
    staleTime: Infinity,
  });

/** A level's geometry at its versioned URL from /api/meta (cached by the browser for good). */
export const boundariesOptions = (level: string, meta: Meta | undefined) => {
  const url = meta?.levels.find((l) => l.slug === level)?.boundaries;
  return queryOptions({
    queryKey: ['boundaries', level, url],
    queryFn: () => getJson<Boundaries>(url!),
    enabled: url !== undefined,
    staleTime: Infinity,
  });
};

export const choroplethOptions = (level: string, f: QueryFilters, parent?: string) =>
  queryOptions({
    queryKey: ['choropleth', level, f, parent],
    queryFn: () =>
      getJson<{ rows: ChoroplethRow[] }>(`/api/choropleth?${queryString(f, { level, parent })}`),
  });

/** The most underserved regions of a level (inside `parent`), largest gap first. */
export const gapsOptions = (level: string, f: QueryFilters, limit: number, parent?: string) =>
  queryOptions({
    queryKey: ['gaps', level, f, limit, parent],
    queryFn: () =>
      getJson<{ rows: GapRow[]; total: number }>(
        `/api/gaps?${queryString(f, { level, parent, limit: String(limit) })}`,
      ),
  });

export const summaryOptions = (f: QueryFilters, area?: string) =>
  queryOptions({
    queryKey: ['summary', f, area],
    queryFn: () => getJson<Summary>(`/api/summary?${queryString(f, { area })}`),
  });

/** The whole period's daily series (the chart shows the selected range inside it). */
export const timeseriesOptions = (f: Omit<QueryFilters, 'from' | 'to'>, area?: string) =>
  queryOptions({
    queryKey: ['timeseries', f, area],
    queryFn: () =>
      getJson<{ series: TimePoint[] }>(
        `/api/timeseries?${queryString(null, {
          aid_type: f.aid.join(','),
          aggregator: f.aggregator.join(','),
          recipient_type: f.recipient.join(','),
          area,
        })}`,
      ),
  });

export const areaOptions = (code: string, f: QueryFilters) =>
  queryOptions({
    queryKey: ['area', code, f],
    queryFn: () => getJson<AreaDetail>(`/api/areas/${code}?${queryString(f)}`),
  });

export const institutionsOptions = (f: QueryFilters, types: readonly string[], area?: string) =>
  queryOptions({
    queryKey: ['institutions', f, types, area],
    queryFn: () =>
      getJson<Institutions>(
        `/api/institutions?${queryString({ ...f, recipient: [] }, { type: types.join(',') })}`,
      ),
  });

/** A download link for the current view's table (CSV) or map (GeoJSON). */
export function exportUrl(
  format: 'csv' | 'geojson',
  level: string,
  f: QueryFilters,
  parent?: string,
): string {
  return `/api/export?${queryString(f, { format, level, parent })}`;
}
