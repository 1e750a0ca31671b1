import { useTranslation } from 'react-i18next';
import type { Summary } from '../api';
import { formatNumber, formatShare } from '../format';

/** The headline figures of the view (the published KSBB totals at default filters). */
export function KpiStrip({ summary, scope }: { summary: Summary | undefined; scope: string }) {
  const { t } = useTranslation();
  const s = summary;
  return (
    <section className="kpis" aria-live="polite" aria-label={scope}>
      <Kpi
        label={t('kpi.packages')}
        value={s && formatNumber(s.packages.total)}
        testId="kpi-packages"
      />
      <Kpi
        label={t('kpi.households')}
        value={s && formatNumber(s.households_reached)}
        testId="kpi-households"
      />
      <Kpi label={t('kpi.rws')} value={s && formatNumber(s.areas_reached.rw)} testId="kpi-rws" />
      <Kpi label={t('kpi.coverage')} value={s && formatShare(s.coverage)} testId="kpi-coverage" />
    </section>
  );
}

function Kpi({
  label,
  value,
  testId,
}: {
  label: string;
  value: string | undefined;
  testId: string;
}) {
  return (
    <div className="kpi">
      <span className="kpi-value" data-testid={testId}>
        {value ?? '…'}
      </span>
      <span className="kpi-label">{label}</span>
    </div>
  );
}
