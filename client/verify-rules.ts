import {
  DECISION_REASONS,
  HttpError,
  RECORD_STATUSES,
  type DecisionReason,
  type Principal,
  type RecordStatus,
  type Role,
} from './api';

/** The longest note a decision may carry. */
export const MAX_NOTE = 500;

/** What a verifier does with a record: pass it on, refuse it, or send it back for correction. */
export const ACTIONS = ['verify', 'reject', 'return'] as const;
export type Action = (typeof ACTIONS)[number];

/** Roles that open the Verifikasi page: verifiers act there; planners and admins only look. */
const PAGE_ROLES: readonly Role[] = ['verifier_kelurahan', 'verifier_province', 'planner', 'admin'];

export function seesVerifyPage(p: Principal | null | undefined): boolean {
  return !!p && PAGE_ROLES.includes(p.role);
}

export function isVerifier(p: Principal | null | undefined): boolean {
  return p?.role === 'verifier_kelurahan' || p?.role === 'verifier_province';
}

/** The state a verifier's "verify" moves a record to: the next layer of the check. */
export function verifiedStateFor(role: Role): RecordStatus | null {
  if (role === 'verifier_kelurahan') return 'verified_kelurahan';
  if (role === 'verifier_province') return 'verified';
  return null;
}

/** The state an action moves a record to, among those the server allows now (null: not now). */
export function targetOf(action: Action, allowed: readonly RecordStatus[]): RecordStatus | null {
  if (action === 'reject') return allowed.includes('rejected') ? 'rejected' : null;
  if (action === 'return') return allowed.includes('returned') ? 'returned' : null;
  return allowed.find((s) => s === 'verified_kelurahan' || s === 'verified') ?? null;
}

/** A stable key for the signed-in caller; record queries are cached per caller. */
export function callerKey(p: Principal): string {
  return [p.role, p.org ?? '', p.label, p.kelurahan.join(',')].join('|');
}

export interface Decision {
  reason: DecisionReason | '';
  note: string;
}

/** Why a rejection or return cannot be sent yet (an i18n key), or null when it can. */
export function decisionProblem(d: Decision): string | null {
  if (!d.reason || !(DECISION_REASONS as readonly string[]).includes(d.reason))
    return 'verify.reason.missing';
  if (d.note.length > MAX_NOTE) return 'verify.reason.tooLong';
  if (d.reason === 'other' && !d.note.trim()) return 'verify.reason.noteRequired';
  return null;
}

/** The reason and note as the server takes them (a blank note left out). */
export function decisionFields(d: Decision): { reason: DecisionReason; note?: string } {
  const note = d.note.trim();
  return note
    ? { reason: d.reason as DecisionReason, note }
    : { reason: d.reason as DecisionReason };
}

/**
 * The reasons to offer: the server's list in its order, keeping only those the UI can name
 * (the fixed list until the server has answered).
 */
export function reasonChoices(server: readonly string[] | undefined): DecisionReason[] {
  if (!server) return [...DECISION_REASONS];
  const known = server.filter((r): r is DecisionReason =>
    (DECISION_REASONS as readonly string[]).includes(r),
  );
  return known.length ? known : [...DECISION_REASONS];
}

/** Records a refusal names one by one; the rest are counted. */
const NAMED = 5;

type Translate = (key: string, options?: Record<string, unknown>) => string;

function isStatus(s: unknown): s is RecordStatus {
  return typeof s === 'string' && (RECORD_STATUSES as readonly string[]).includes(s);
}

/**
 * A refused or failed transition in the user's words. A 409 names the state each record is in
 * now (someone else moved it first); 404 and 403 say that nothing was moved and why.
 */
export function transitionErrorMessage(error: unknown, t: Translate): string {
  if (!(error instanceof HttpError)) return t('verify.error.network');
  if (error.status === 409) {
    const records = Array.isArray(error.details?.records)
      ? (error.details.records as { id?: unknown; status?: unknown }[]).filter(
          (r): r is { id: number; status: RecordStatus } =>
            typeof r.id === 'number' && isStatus(r.status),
        )
      : [];
    if (records.length === 0) return t('verify.error.conflictUnknown');
    const total = Math.max(
      records.length,
      typeof error.details?.total === 'number' ? error.details.total : 0,
    );
    const named = records
      .slice(0, NAMED)
      .map((r) => t('verify.error.recordState', { id: r.id, status: t(`statuses.${r.status}`) }));
    if (total > named.length) named.push(t('verify.error.more', { count: total - named.length }));
    return t('verify.error.conflict', { count: total, records: named.join(', ') });
  }
  if (error.status === 404) {
    const ids = Array.isArray(error.details?.ids) ? (error.details.ids as unknown[]) : [];
    if (ids.length === 0) return t('verify.error.notFound');
    const total = Math.max(
      ids.length,
      typeof error.details?.total === 'number' ? error.details.total : 0,
    );
    const named = ids.slice(0, NAMED).map((id) => `#${String(id)}`);
    if (total > named.length) named.push(t('verify.error.more', { count: total - named.length }));
    return t('verify.error.notFoundIds', { ids: named.join(', ') });
  }
  if (error.status === 403) return t('verify.error.forbidden');
  if (error.status === 401) return t('verify.error.signedOut');
  if (error.status === 400) return t('verify.error.invalid', { message: error.message });
  return t('verify.error.server', { status: error.status });
}
