import type { TFunction } from 'i18next';
import type { Institutions } from './api';
import { formatNumber, formatRate, formatShare, formatSmallShare } from './format';
import type { MapRow } from './planner-measures';
import { isPlannerMetric, type MetricKey, type PlannerMetric } from './url-state';

export type InstitutionProperties = Institutions['features'][number]['properties'];

/** The hover text of an institution point. */
export function describeInstitution(p: InstitutionProperties, t: TFunction): string {
  return `${p.name}\n${t(`institutions.${p.type}`)}\n${t('metrics.packages')}: ${formatNumber(p.packages)}`;
}

/** The hover text of a region: its key figures, the measure shown and what a click does. */
export function describeRegion(
  row: MapRow,
  metric: MetricKey,
  t: TFunction,
  hint: string | null,
): string {
  if (isPlannerMetric(metric)) return describePlannerFigure(row, metric, t, hint);
  const lines = [
    `${row.name} (${row.code})`,
    `${t('metrics.need')}: ${formatNumber(row.need)}`,
    `${t('metrics.households_reached')}: ${formatNumber(row.households_reached)}`,
    `${t('metrics.coverage')}: ${formatShare(row.coverage)}`,
    `${t('metrics.packages')}: ${formatNumber(row.packages)}`,
  ];
  if (metric === 'packages_per_100_need')
    lines.push(`${t('metrics.packages_per_100_need')}: ${formatRate(row.packages_per_100_need)}`);
  if (metric === 'covid_per_10k')
    lines.push(`${t('metrics.covid_per_10k')}: ${formatRate(row.covid_per_10k)}`);
  if (hint) lines.push(hint);
  return lines.join('\n');
}

/**
 * A planner measure's hover text: the region and its figure alone, since these figures count
 * records the public figures do not (the households served here are not the public "reached").
 */
function describePlannerFigure(
  row: MapRow,
  metric: PlannerMetric,
  t: TFunction,
  hint: string | null,
): string {
  const lines = [`${row.name} (${row.code})`];
  if (metric === 'records_waiting') {
    const n = row.records_waiting;
    lines.push(
      `${t('metrics.records_waiting')}: ${n === null || n === undefined ? '–' : formatNumber(n)}`,
    );
  } else {
    lines.push(
      `${t('metrics.multi_aggregator_share')}: ${formatSmallShare(row.multi_aggregator_share ?? null)}`,
    );
    if (row.households_served !== null && row.households_served !== undefined)
      lines.push(
        t('plannerMeasures.overlapCount', {
          multi: formatNumber(row.households_multi_aggregator ?? 0),
          served: formatNumber(row.households_served),
        }),
      );
  }
  if (hint) lines.push(hint);
  return lines.join('\n');
}
