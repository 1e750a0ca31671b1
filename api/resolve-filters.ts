import type { DataContext } from './context';
import type { ResolvedFilters } from './db/filters';
import { ApiError } from './errors';
import type { Filters } from './schemas/filters';

/** Fills defaults (the data's date extent, verified records only) and checks the area exists. */
export function resolveFilters(f: Filters, ctx: DataContext): ResolvedFilters {
  let area: ResolvedFilters['area'] = null;
  if (f.area) {
    const level = ctx.regions.get(f.area);
    if (!level) {
      throw new ApiError(400, 'unknown_area', `No region has the code ${f.area}`, {
        parameters: [
          { param: 'area', code: 'unknown_area', message: `unknown region code ${f.area}` },
        ],
      });
    }
    area = { code: f.area, level };
  }
  return {
    from: f.from ?? ctx.extent.from,
    to: f.to ?? ctx.extent.to,
    aidTypes: f.aid_type,
    aggregators: f.aggregator,
    recipientTypes: f.recipient_type,
    area,
    statuses: ['verified'],
  };
}
