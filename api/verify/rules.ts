import type { Principal } from '../auth/principal';
import { joinSql, raw, sql, type Sql } from '../db/sql';
import type { RecordStatus, Role } from '../domain';

/** Why a record was rejected or returned: a fixed list, plus free text (required for `other`). */
export const REASONS = [
  'duplicate',
  'not_eligible',
  'wrong_location',
  'wrong_quantity',
  'incomplete',
  'other',
] as const;
export type Reason = (typeof REASONS)[number];
export const MAX_NOTE_LENGTH = 500;

/** The states a verifier may move a record to. */
export const TARGETS = ['verified_kelurahan', 'verified', 'rejected', 'returned'] as const;
export type Target = (typeof TARGETS)[number];

/**
 * The layered check: a kelurahan verifier takes submitted records, the province takes those the
 * kelurahan passed. Each may pass the record on, reject it or return it for correction.
 */
export const MOVES: Partial<Record<Role, { from: RecordStatus; to: readonly Target[] }>> = {
  verifier_kelurahan: { from: 'submitted', to: ['verified_kelurahan', 'rejected', 'returned'] },
  verifier_province: { from: 'verified_kelurahan', to: ['verified', 'rejected', 'returned'] },
};

/** The state a caller's records must be in to be moved by them; null when the role never moves any. */
export function workState(role: Role): RecordStatus | null {
  return MOVES[role]?.from ?? null;
}

export function mayMoveTo(role: Role, to: Target): boolean {
  return MOVES[role]?.to.includes(to) ?? false;
}

/** The moves a caller may make on a record in `status` now. */
export function allowedMoves(role: Role, status: RecordStatus): Target[] {
  const move = MOVES[role];
  return move && move.from === status ? [...move.to] : [];
}

/** Which records a caller may see, as a condition on `distributions d`; others simply are absent. */
export function recordScope(p: Principal, alias = 'd'): Sql {
  const a = raw(alias);
  switch (p.role) {
    case 'aggregator':
      return sql`${a}.aggregator = ${p.org}::aggregator_t`;
    case 'verifier_kelurahan':
      return p.kelurahan.length
        ? sql`${a}.kelurahan_code IN (${joinSql(
            p.kelurahan.map((k) => sql`${k}`),
            ', ',
          )})`
        : sql`false`;
    default:
      return sql`true`;
  }
}
