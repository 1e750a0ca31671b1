import type { Principal } from './auth/principal';
import type { DataContext } from './context';
import type { ResolvedFilters } from './db/filters';
import {
  PUBLIC_STATUSES,
  type AggregatorSlug,
  type AidType,
  type Level,
  type RecipientType,
  type RecordStatus,
} from './domain';
import { ApiError } from './errors';

export interface FilterInput {
  from?: string | undefined;
  to?: string | undefined;
  aid_type?: AidType[];
  aggregator?: AggregatorSlug[];
  recipient_type?: RecipientType[];
  status?: RecordStatus[];
  area?: string | undefined;
}

/** Looks a region code up; an unknown one is the client's mistake, named by its parameter. */
export function resolveRegion(
  code: string,
  ctx: DataContext,
  param: string,
): { code: string; level: Level } {
  const level = ctx.regions.get(code)?.level;
  if (!level) {
    throw new ApiError(400, 'unknown_area', `No region has the code ${code}`, {
      parameters: [{ param, code: 'unknown_area', message: `unknown region code ${code}` }],
    });
  }
  return { code, level };
}

export function isPublic(statuses: readonly RecordStatus[]): boolean {
  return (
    statuses.length === PUBLIC_STATUSES.length && statuses.every((s) => PUBLIC_STATUSES.includes(s))
  );
}

/**
 * Record states to count: verified by default (public figures); any other state needs a planner
 * or admin (401 without a caller, 403 with another role).
 */
export function resolveStatuses(
  asked: readonly RecordStatus[] | undefined,
  principal: Principal | null,
): RecordStatus[] {
  if (!asked?.length || isPublic(asked)) return [...PUBLIC_STATUSES];
  if (!principal) {
    throw new ApiError(
      401,
      'unauthenticated',
      'Records that are not verified are shown to planners only: sign in.',
    );
  }
  if (principal.role !== 'planner' && principal.role !== 'admin') {
    throw new ApiError(
      403,
      'forbidden',
      'Records that are not verified are shown to planners and admins only.',
    );
  }
  return [...asked];
}

/**
 * Fills defaults (the data's date extent, verified records only) and checks the area exists.
 * With other states than verified, the default window covers every record.
 */
export function resolveFilters(
  f: FilterInput,
  ctx: DataContext,
  principal: Principal | null = null,
): ResolvedFilters {
  const statuses = resolveStatuses(f.status, principal);
  const extent = isPublic(statuses) ? ctx.extent : ctx.fullExtent;
  return {
    from: f.from ?? extent.from,
    to: f.to ?? extent.to,
    aidTypes: f.aid_type ?? [],
    aggregators: f.aggregator ?? [],
    recipientTypes: f.recipient_type ?? [],
    area: f.area ? resolveRegion(f.area, ctx, 'area') : null,
    statuses,
  };
}

/** The filters as the response echoes them back. */
export function echoFilters(f: ResolvedFilters) {
  return {
    from: f.from,
    to: f.to,
    aid_type: f.aidTypes,
    aggregator: f.aggregators,
    recipient_type: f.recipientTypes,
    status: f.statuses,
    area: f.area?.code ?? null,
  };
}

/** The version an answer names: the public one for verified figures, else every commit's. */
export function versionFor(
  state: { version: string; publicVersion: string },
  f: Pick<ResolvedFilters, 'statuses'>,
): string {
  return isPublic(f.statuses) ? state.publicVersion : state.version;
}
