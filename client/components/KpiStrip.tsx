import { useTranslation } from 'react-i18next';
import type { Summary } from '../api';
import { formatNumber, formatShare } from '../format';

const UNVERIFIED_NOTE_ID = 'unverified-note';

/**
 * The headline figures of the view (the published KSBB totals at default filters); marked when
 * they include records that are not verified yet.
 */
export function KpiStrip({
  summary,
  scope,
  unverified = false,
}: {
  summary: Summary | undefined;
  scope: string;
  unverified?: boolean;
}) {
  const { t } = useTranslation();
  const s = summary;
  return (
    <section
      className={unverified ? 'kpis unverified' : 'kpis'}
      aria-live="polite"
      aria-label={scope}
      aria-describedby={unverified ? UNVERIFIED_NOTE_ID : undefined}
    >
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

/**
 * Says that the figures above count records still being checked, and how many packages those
 * are (the figures less the public ones, once both answers are in for the same filters).
 */
export function UnverifiedNote({
  summary,
  publicSummary,
}: {
  summary: Summary | undefined;
  publicSummary: Summary | undefined;
}) {
  const { t } = useTranslation();
  const pending =
    summary && publicSummary ? summary.packages.total - publicSummary.packages.total : null;
  return (
    <p className="unverified-note" id={UNVERIFIED_NOTE_ID} data-testid="unverified-note">
      <strong>{t('unverified.label')}</strong>{' '}
      {pending !== null && publicSummary
        ? t('unverified.noteCount', {
            count: pending,
            pending: formatNumber(pending),
            public: formatNumber(publicSummary.packages.total),
          })
        : t('unverified.note')}
    </p>
  );
}
