import { UNVERIFIED_VIEW_STATUSES, type Principal, type RecordStatus } from './api';
import type { RecordScope } from './url-state';

/** No states named: the server counts verified records only. One array, so memos hold. */
const PUBLIC_FIGURES: readonly RecordStatus[] = [];

/** Planners and admins may see figures that include records not verified yet. */
export function canSeeUnverified(principal: Principal | null | undefined): boolean {
  return principal?.role === 'planner' || principal?.role === 'admin';
}

/**
 * The record states the data requests ask for: none (the public figures) unless a planner or
 * admin chose to include unverified records; null while the session is not known yet, so a
 * planner's link does not first load (and show) the public figures. For anyone else the link's
 * choice is ignored, so a shared link opens for the public as well.
 */
export function statusesFor(
  scope: RecordScope,
  principal: Principal | null | undefined,
): readonly RecordStatus[] | null {
  if (scope === 'verified') return PUBLIC_FIGURES;
  if (principal === undefined) return null;
  return canSeeUnverified(principal) ? UNVERIFIED_VIEW_STATUSES : PUBLIC_FIGURES;
}
