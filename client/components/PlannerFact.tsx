import { useTranslation } from 'react-i18next';
import { formatNumber, formatSmallShare } from '../format';
import type { PlannerFigures } from '../planner-measures';
import type { PlannerMetric } from '../url-state';

/** The planner measure shown on the map, for the region open in the panel. */
export function PlannerFact({
  metric,
  figures,
}: {
  metric: PlannerMetric;
  figures: Partial<PlannerFigures>;
}) {
  const { t } = useTranslation();
  const loading = t('loading');
  let value: string;
  let detail: string | null = null;
  if (metric === 'records_waiting') {
    const n = figures.records_waiting;
    value = n === null || n === undefined ? loading : formatNumber(n);
  } else {
    const served = figures.households_served;
    value =
      served === null || served === undefined
        ? loading
        : formatSmallShare(figures.multi_aggregator_share ?? null);
    if (served !== null && served !== undefined)
      detail = t('plannerMeasures.overlapCount', {
        multi: formatNumber(figures.households_multi_aggregator ?? 0),
        served: formatNumber(served),
      });
  }
  return (
    <div className="planner-fact" data-testid="area-planner-figure" data-metric={metric}>
      <span className="badge planner">{t('plannerMeasures.badge')}</span>
      <div className="planner-fact-label">{t(`metrics.${metric}`)}</div>
      <div className="planner-fact-value" data-testid="area-planner-value">
        {value}
      </div>
      {detail && <div className="muted small">{detail}</div>}
    </div>
  );
}
