import type { DataContext } from '../context';
import type { InstitutionType } from '../domain';

/** The codes of an RW and of the areas it lies in. */
export interface RwFacts {
  code: string;
  kelurahan_code: string;
  kecamatan_code: string;
  kota_code: string;
}

/**
 * What the row checks need of the data context, as plain data: it is posted once to the check
 * thread and turned back into lookups there.
 */
export interface CheckContextData {
  kecamatanCodes: string[];
  rws: RwFacts[];
  /** Home unit index of each RW code, and of each kelurahan code for the part outside its RWs. */
  units: [string, number][];
  institutions: [number, InstitutionType][];
}

/** The lookups of the row checks. */
export interface CheckContext {
  kecamatanCodes: ReadonlySet<string>;
  rws: ReadonlyMap<string, RwFacts>;
  unitOf: ReadonlyMap<string, number>;
  institutions: ReadonlyMap<number, InstitutionType>;
}

export function checkContextData(ctx: DataContext): CheckContextData {
  return {
    kecamatanCodes: ctx.byLevel.kecamatan.map((k) => k.code),
    rws: ctx.byLevel.rw.map((r) => ({
      code: r.code,
      kelurahan_code: r.kelurahan_code!,
      kecamatan_code: r.kecamatan_code!,
      kota_code: r.kota_code,
    })),
    units: [...ctx.unitOf],
    institutions: [...ctx.institutions],
  };
}

export function checkContextOf(data: CheckContextData): CheckContext {
  return {
    kecamatanCodes: new Set(data.kecamatanCodes),
    rws: new Map(data.rws.map((r) => [r.code, r])),
    unitOf: new Map(data.units),
    institutions: new Map(data.institutions),
  };
}
