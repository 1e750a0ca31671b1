import type { DataContext } from './context';
import type { ResolvedFilters } from './db/filters';
import type { AggregatorSlug, AidType, Level, RecipientType } from './domain';
import { ApiError } from './errors';

export interface FilterInput {
  from?: string | undefined;
  to?: string | undefined;
  aid_type?: AidType[];
  aggregator?: AggregatorSlug[];
  recipient_type?: RecipientType[];
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

/** Fills defaults (the data's date extent, verified records only) and checks the area exists. */
export function resolveFilters(f: FilterInput, ctx: DataContext): ResolvedFilters {
  return {
    from: f.from ?? ctx.extent.from,
    to: f.to ?? ctx.extent.to,
    aidTypes: f.aid_type ?? [],
    aggregators: f.aggregator ?? [],
    recipientTypes: f.recipient_type ?? [],
    area: f.area ? resolveRegion(f.area, ctx, 'area') : null,
    statuses: ['verified'],
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
    area: f.area?.code ?? null,
  };
}
