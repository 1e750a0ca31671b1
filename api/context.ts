import type { Reader } from './db/database';
import { sql } from './db/sql';
import type { InstitutionType, Level } from './domain';
import type { HomeUnit } from './reach-index';

/** A region's fixed facts (they change only through a migration). */
export interface RegionFacts {
  code: string;
  level: Level;
  name: string;
  parent_code: string | null;
  kota_code: string;
  kecamatan_code: string | null;
  kelurahan_code: string | null;
  need: number;
  households: number;
  population: number;
  modelled: boolean;
}

export interface DateExtent {
  from: string;
  to: string;
}

/** Facts about the loaded data that every request needs; part of the published state. */
export interface DataContext {
  /** Dates of the verified records: the default window of public answers. */
  extent: DateExtent;
  /** Dates of all records, whatever their state: the default window when a status is asked for. */
  fullExtent: DateExtent;
  regions: Map<string, RegionFacts>;
  /** Regions of each level, ordered by code. */
  byLevel: Record<Level, RegionFacts[]>;
  /** Home units (every RW, and per kelurahan the part outside its RW polygons) by index. */
  units: HomeUnit[];
  /** Home unit index of an RW code, or of a kelurahan code for the part outside its RWs. */
  unitOf: Map<string, number>;
  /** Institutions by id, with their type (uploads must name one of the right type). */
  institutions: Map<number, InstitutionType>;
  /** Aggregators' names by slug. */
  aggregatorNames: Map<string, string>;
}

/** Whether a region lies inside (or is) another one. */
export function isWithin(r: RegionFacts, area: { code: string; level: Level }): boolean {
  if (r.code === area.code) return true;
  if (area.level === 'kota') return r.kota_code === area.code;
  if (area.level === 'kecamatan') return r.kecamatan_code === area.code;
  if (area.level === 'kelurahan') return r.kelurahan_code === area.code && r.level === 'rw';
  return false;
}

/** The programme window, used when a store holds no record yet. */
const EMPTY_EXTENT: DateExtent = { from: '2020-04-24', to: '2020-05-27' };

/** Widens an extent by a window of dates. */
export function widen(extent: DateExtent | null, from: string, to: string): DateExtent {
  if (!extent) return { from, to };
  return { from: from < extent.from ? from : extent.from, to: to > extent.to ? to : extent.to };
}

export async function loadContext(db: Reader): Promise<DataContext> {
  const extents = await db.one<{
    vfrom: string | null;
    vto: string | null;
    afrom: string | null;
    ato: string | null;
  }>(
    sql`SELECT min(date) FILTER (status = 'verified')::VARCHAR AS vfrom,
               max(date) FILTER (status = 'verified')::VARCHAR AS vto,
               min(date)::VARCHAR AS afrom, max(date)::VARCHAR AS ato
        FROM rollup_rw_day`,
  );
  const regions = await db.rows<RegionFacts & { home_idx: number | null }>(
    sql`SELECT code, level::VARCHAR AS level, name, parent_code, kota_code, kecamatan_code, kelurahan_code,
               need, households, population, modelled, home_idx
        FROM regions ORDER BY code`,
  );
  const institutions = await db.rows<{ institution_id: number; type: InstitutionType }>(
    sql`SELECT institution_id, type::VARCHAR AS type FROM institutions`,
  );
  const aggregators = await db.rows<{ slug: string; name: string }>(
    sql`SELECT slug::VARCHAR AS slug, name FROM aggregators`,
  );
  const byLevel: Record<Level, RegionFacts[]> = { kota: [], kecamatan: [], kelurahan: [], rw: [] };
  const byCode = new Map<string, RegionFacts>();
  const units: HomeUnit[] = [];
  const unitOf = new Map<string, number>();
  for (const { home_idx, ...r } of regions) {
    byLevel[r.level].push(r);
    byCode.set(r.code, r);
    if (home_idx === null) continue;
    unitOf.set(r.code, home_idx);
    units[home_idx] = {
      idx: home_idx,
      rw: r.level === 'rw' ? r.code : null,
      kelurahan: r.level === 'rw' ? r.kelurahan_code! : r.code,
      kecamatan: r.kecamatan_code!,
      kota: r.kota_code,
    };
  }
  return {
    extent: extents.vfrom && extents.vto ? { from: extents.vfrom, to: extents.vto } : EMPTY_EXTENT,
    fullExtent:
      extents.afrom && extents.ato ? { from: extents.afrom, to: extents.ato } : EMPTY_EXTENT,
    regions: byCode,
    byLevel,
    units,
    unitOf,
    institutions: new Map(institutions.map((i) => [i.institution_id, i.type])),
    aggregatorNames: new Map(aggregators.map((a) => [a.slug, a.name])),
  };
}
