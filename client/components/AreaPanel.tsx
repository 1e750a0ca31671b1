import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { areaOptions, type AreaDetail, type Meta, type QueryFilters } from '../api';
import { formatDate, formatNumber, formatRate, formatShare } from '../format';
import type { Language } from '../i18n';
import { aidLabels, shownAidTypes } from '../aid-types';
import { AID_TYPE_OPTIONS, type DateExtent, type PlannerMetric } from '../url-state';
import type { PlannerFigures } from '../planner-measures';
import { DailyChart } from './DailyChart';
import { AggregatorDataDate, LatestDataNote } from './AggregatorDataDate';
import { PlannerFact } from './PlannerFact';

/** Need, aid by type and aggregator, trend and institutions of one region, for planners and donors. */
export function AreaPanel({
  code,
  filters,
  meta,
  lang,
  range,
  canOpen,
  plannerFigure,
  onOpen,
  onClose,
}: {
  code: string;
  filters: QueryFilters;
  meta: Meta;
  lang: Language;
  range: DateExtent;
  canOpen: boolean;
  /** Planners: the planner measure shown and this region's figures for it. */
  plannerFigure?: { metric: PlannerMetric; figures: Partial<PlannerFigures> } | undefined;
  onOpen: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const detail = useQuery({ ...areaOptions(code, filters), placeholderData: keepPreviousData });
  const [pledging, setPledging] = useState(false);
  const d = detail.data;
  if (!d)
    return (
      <section className="area-panel muted">{detail.isError ? t('error') : t('loading')}</section>
    );
  const s = d.summary;
  const labels = aidLabels(meta, lang);
  const shownTypes = shownAidTypes(filters.aid);
  const maxType = Math.max(1, ...AID_TYPE_OPTIONS.map((a) => s.packages[a]));

  return (
    <section
      className="area-panel"
      aria-labelledby="area-title"
      data-testid="area-panel"
      data-code={d.region.code}
    >
      <header>
        <div>
          <p className="eyebrow">
            {t(`levels.${d.region.level}`)} ·{' '}
            {d.breadcrumbs
              .slice(0, -1)
              .map((b) => b.name)
              .join(' › ') || t('city')}
          </p>
          <h2 id="area-title">{d.region.name}</h2>
        </div>
        <button type="button" className="close" aria-label={t('area.close')} onClick={onClose}>
          ×
        </button>
      </header>
      {plannerFigure && (
        <PlannerFact metric={plannerFigure.metric} figures={plannerFigure.figures} />
      )}
      <dl className="facts">
        <Fact label={t('area.need')} value={formatNumber(d.region.need)} />
        <Fact label={t('area.reached')} value={formatNumber(s.households_reached)} />
        <Fact label={t('area.coverage')} value={formatShare(s.coverage)} testId="area-coverage" />
        <Fact label={t('area.gap')} value={formatNumber(s.gap)} />
        <Fact label={t('area.packages')} value={formatNumber(s.packages.total)} />
        <Fact label={t('area.perNeed')} value={formatRate(s.packages_per_100_need)} />
        <Fact
          label={t('area.covid')}
          value={formatRate(d.covid.per_10k)}
          note={
            d.covid.as_of
              ? t('area.covidAsOf', { date: formatDate(d.covid.as_of, lang) })
              : undefined
          }
        />
      </dl>
      <p className="muted small">
        {formatNumber(d.region.households)} {t('area.households')} ·{' '}
        {formatNumber(d.region.population)} {t('area.population')}
        {d.region.modelled ? ` · ${t('area.modelled')}` : ''}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          data-testid="pledge"
          onClick={() => setPledging(true)}
        >
          {t('pledge.action')}
        </button>
        {canOpen && (
          <button type="button" onClick={onOpen} data-testid="open-area">
            {t('area.open')}
          </button>
        )}
      </div>

      <h3>{t('area.byType')}</h3>
      <ul className="bars">
        {AID_TYPE_OPTIONS.map((a) => (
          <li key={a}>
            <span>{labels[a]}</span>
            <span className="bar-track">
              <span
                className={`bar-fill aid-${a}`}
                style={{ width: `${(100 * s.packages[a]) / maxType}%` }}
              />
            </span>
            <span className="num">{formatNumber(s.packages[a])}</span>
          </li>
        ))}
      </ul>

      <h3>{t('area.byAggregator')}</h3>
      {d.by_aggregator.length ? (
        <table className="compact">
          <tbody>
            {d.by_aggregator.map((a) => (
              <tr key={a.slug}>
                <th scope="row">
                  {a.name}
                  <AggregatorDataDate meta={meta} slug={a.slug} lang={lang} />
                </th>
                <td className="num">{formatNumber(a.packages)}</td>
                <td className="num muted">
                  {formatNumber(a.households_reached)} {t('area.households')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <>
          <p className="muted">{t('area.noAggregator')}</p>
          <LatestDataNote meta={meta} lang={lang} />
        </>
      )}

      <DailyChart
        series={d.trend}
        aidTypes={shownTypes}
        labels={labels}
        title={t('chart.areaTitle')}
        range={range}
        height={120}
      />

      <h3>{t('area.institutions')}</h3>
      {d.institutions.length ? (
        <ul className="institutions">
          {d.institutions.map((i) => (
            <li key={i.institution_id}>
              <span className="dot" data-type={i.type} aria-hidden="true" />
              {i.name}{' '}
              <span className="muted">
                ({t(`institutions.${i.type}`)}
                {i.illustrative ? `, ${t('institutions.illustrative')}` : ''})
              </span>{' '}
              <span className="num">{formatNumber(i.packages)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('area.noInstitutions')}</p>
      )}
      {pledging && <PledgeDialog detail={d} onClose={() => setPledging(false)} />}
    </section>
  );
}

function Fact({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  note?: string | undefined;
  testId?: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {value}
        {note && <small> {note}</small>}
      </dd>
    </div>
  );
}

/** The donor's next step; the pledge form itself is a later feature, and the dialog says so. */
function PledgeDialog({ detail, onClose }: { detail: AreaDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="pledge"
      onClose={onClose}
      aria-labelledby="pledge-title"
      data-testid="pledge-dialog"
    >
      <h2 id="pledge-title">{t('pledge.title', { name: detail.region.name })}</h2>
      <p>{t('pledge.gap', { gap: formatNumber(detail.summary.gap) })}</p>
      <p>{detail.by_aggregator.length ? t('pledge.body') : t('pledge.none')}</p>
      {detail.by_aggregator.length > 0 && (
        <ul>
          {detail.by_aggregator.map((a) => (
            <li key={a.slug}>
              <strong>{a.name}</strong> — {formatNumber(a.households_reached)}{' '}
              {t('area.households')}
            </li>
          ))}
        </ul>
      )}
      <form method="dialog">
        <button type="submit" className="primary" autoFocus>
          {t('pledge.close')}
        </button>
      </form>
    </dialog>
  );
}
