/** The programme's vocabulary (DESIGN section 8): slugs accepted by the API and stored in DuckDB. */
export const AID_TYPES = ['sembako', 'siap_saji', 'lebaran', 'thr'] as const;
export type AidType = (typeof AID_TYPES)[number];

export const RECIPIENT_TYPES = [
  'household',
  'orphanage',
  'pesantren',
  'nursing_home',
  'disability_home',
  'community',
] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const INSTITUTION_TYPES = [
  'orphanage',
  'pesantren',
  'nursing_home',
  'disability_home',
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

export const AGGREGATORS = [
  'act',
  'baznas',
  'pmi',
  'rumah-zakat',
  'human-initiative',
  'dompet-dhuafa',
] as const;
export type AggregatorSlug = (typeof AGGREGATORS)[number];

export const LEVELS = ['kota', 'kecamatan', 'kelurahan', 'rw'] as const;
export type Level = (typeof LEVELS)[number];

export const RECORD_STATUSES = ['verified', 'pending', 'rejected'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Region code pattern per level (Kemendagri codes; RW appends a three-digit number). */
export const CODE_PATTERNS: Record<Level, RegExp> = {
  kota: /^\d{2}\.\d{2}$/,
  kecamatan: /^\d{2}\.\d{2}\.\d{2}$/,
  kelurahan: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
  rw: /^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3}$/,
};

export function levelOfCode(code: string): Level | null {
  for (const level of LEVELS) if (CODE_PATTERNS[level].test(code)) return level;
  return null;
}
