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

/**
 * A record's verification state: uploads enter as `submitted`; the kelurahan check moves them to
 * `verified_kelurahan`, the province check to `verified`; either may reject or return them.
 * Only `verified` records count in public figures.
 */
export const RECORD_STATUSES = [
  'submitted',
  'verified_kelurahan',
  'verified',
  'rejected',
  'returned',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const PUBLIC_STATUSES: readonly RecordStatus[] = ['verified'];

/** Who may call what (DESIGN section 8); the public needs no token. */
export const ROLES = [
  'aggregator',
  'verifier_kelurahan',
  'verifier_province',
  'planner',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

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
