import { queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { ChoroplethRow } from '../api/db/choropleth';
import type { Summary } from '../api/db/summary';

export type { ChoroplethRow, Summary };
export type Boundaries = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

function filterParams(aid: readonly string[]): string {
  return aid.length ? `aid_type=${aid.join(',')}` : '';
}

export const boundariesOptions = (level: string) =>
  queryOptions({
    queryKey: ['boundaries', level],
    queryFn: () => getJson<Boundaries>(`/api/boundaries/${level}`),
    staleTime: Infinity,
  });

export const choroplethOptions = (level: string, aid: readonly string[], parent?: string) =>
  queryOptions({
    queryKey: ['choropleth', level, aid, parent],
    queryFn: () =>
      getJson<{ rows: ChoroplethRow[] }>(
        `/api/choropleth?level=${level}&${filterParams(aid)}${parent ? `&parent=${parent}` : ''}`,
      ),
  });

export const summaryOptions = (aid: readonly string[], area?: string) =>
  queryOptions({
    queryKey: ['summary', aid, area],
    queryFn: () =>
      getJson<Summary>(`/api/summary?${filterParams(aid)}${area ? `&area=${area}` : ''}`),
  });
