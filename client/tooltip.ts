import type { TFunction } from 'i18next';
import type { ChoroplethRow, Institutions } from './api';
import { formatNumber, formatRate, formatShare } from './format';
import type { MetricKey } from './url-state';

export type InstitutionProperties = Institutions['features'][number]['properties'];

/** The hover text of an institution point. */
export function describeInstitution(p: InstitutionProperties, t: TFunction): string {
  return `${p.name}\n${t(`institutions.${p.type}`)}\n${t('metrics.packages')}: ${formatNumber(p.packages)}`;
}

/** The hover text of a region: its key figures, the measure shown and what a click does. */
export function describeRegion(
  row: ChoroplethRow,
  metric: MetricKey,
  t: TFunction,
  hint: string | null,
): string {
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
