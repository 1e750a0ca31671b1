import { useTranslation } from 'react-i18next';
import {
  BIVARIATE_PALETTE,
  INSTITUTION_COLOURS,
  NO_AID_HEX,
  type BivariateClasses,
  type LegendBin,
} from '../colour';
import { formatNumber, formatRate, formatShare, formatSmallShare } from '../format';
import {
  INSTITUTION_TYPE_OPTIONS,
  isPlannerMetric,
  type InstitutionKey,
  type MetricKey,
} from '../url-state';

function binLabel(metric: MetricKey, b: LegendBin): string {
  // Planner measures: the first bin starts at 0 (0 itself is grey), the last is open-ended.
  if (metric === 'records_waiting') {
    const from = Math.max(1, b.from);
    if (b.to === Infinity) return `≥ ${formatNumber(from)}`;
    const to = b.to - 1; // whole records: the next bin starts at its `from`
    return from >= to ? formatNumber(from) : `${formatNumber(from)} – ${formatNumber(to)}`;
  }
  if (metric === 'multi_aggregator_share') {
    if (b.from === 0)
      return b.to === Infinity ? `> ${formatSmallShare(0)}` : `< ${formatSmallShare(b.to)}`;
    if (b.to === Infinity) return `≥ ${formatSmallShare(b.from)}`;
    return `${formatSmallShare(b.from)} – ${formatSmallShare(b.to)}`;
  }
  if (metric === 'coverage')
    return `${formatShare(b.from)}${b.to === Infinity ? '+' : ` – ${formatShare(b.to)}`}`;
  const f =
    metric === 'covid_per_10k' || metric === 'packages_per_100_need' ? formatRate : formatNumber;
  return `${f(b.from)} – ${f(b.to)}`;
}

/** What the grey of a measure means: no aid, no data, or nothing for a planner to look at. */
function greyLabel(metric: MetricKey, t: (key: string) => string): string {
  if (metric === 'covid_per_10k') return t('noData');
  if (metric === 'records_waiting') return t('plannerMeasures.noneWaiting');
  if (metric === 'multi_aggregator_share') return t('plannerMeasures.noneServedTwice');
  return t('noAid');
}

/** The legend of the map shown: bins with numbers, or the 3×3 need × coverage grid. */
export function Legend({
  metric,
  bins,
  bivariate,
  institutions,
  onToggleInstitution,
}: {
  metric: MetricKey;
  bins: readonly LegendBin[];
  bivariate: BivariateClasses;
  institutions: readonly InstitutionKey[];
  onToggleInstitution: (type: InstitutionKey) => void;
}) {
  const { t } = useTranslation();
  const [n1, n2] = bivariate.needCuts;
  const [c1, c2] = bivariate.coverageCuts;
  const needLabels = [
    `< ${formatNumber(n1)}`,
    `${formatNumber(n1)}–${formatNumber(n2)}`,
    `≥ ${formatNumber(n2)}`,
  ];
  const coverageLabels = [
    `< ${formatShare(c1)}`,
    `${formatShare(c1)}–${formatShare(c2)}`,
    `≥ ${formatShare(c2)}`,
  ];
  return (
    <aside className="legend" aria-label={t('legend')} data-testid="legend">
      <strong>{t(`metrics.${metric}`)}</strong>
      {isPlannerMetric(metric) && (
        <span className="badge planner" data-testid="planner-badge">
          {t('plannerMeasures.badge')}
        </span>
      )}
      {metric === 'bivariate' ? (
        <div className="bivariate" data-testid="bivariate-legend">
          <span className="axis-y">{t('bivariate.need')}</span>
          <table>
            <tbody>
              {[2, 1, 0].map((need) => (
                <tr key={need}>
                  <th scope="row">{needLabels[need]}</th>
                  {[0, 1, 2].map((cov) => (
                    <td key={cov}>
                      <span
                        className="swatch cell"
                        style={{ background: BIVARIATE_PALETTE[need]![cov] }}
                        title={`${t('bivariate.need')} ${needLabels[need]}, ${t('bivariate.coverage')} ${coverageLabels[cov]}`}
                      />
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th />
                {coverageLabels.map((l) => (
                  <th key={l} scope="col">
                    {l}
                  </th>
                ))}
              </tr>
            </tbody>
          </table>
          <span className="axis-x">{t('bivariate.coverage')}</span>
          <small>
            {t('bivariate.need')} {t('bivariate.thirds')}
          </small>
        </div>
      ) : (
        <ul>
          {bins.map((b) => (
            <li key={b.colour} data-testid="legend-bin">
              <span className="swatch" style={{ background: b.colour }} />
              {binLabel(metric, b)}
            </li>
          ))}
          <li>
            <span className="swatch" style={{ background: NO_AID_HEX }} />
            {greyLabel(metric, t)}
          </li>
        </ul>
      )}
      {metric === 'records_waiting' && (
        <p className="measure-note">{t('plannerMeasures.waitingNote')}</p>
      )}
      {metric === 'multi_aggregator_share' && (
        <p className="measure-note">{t('plannerMeasures.overlapNote')}</p>
      )}
      <p className="outline-note">
        <span className="swatch outline" aria-hidden="true" />
        {t('uncoveredOutline')}
      </p>
      <fieldset className="institution-legend">
        <legend>{t('institutions.title')}</legend>
        {INSTITUTION_TYPE_OPTIONS.map((type) => (
          <button
            key={type}
            type="button"
            className={institutions.includes(type) ? 'chip small on' : 'chip small'}
            aria-pressed={institutions.includes(type)}
            data-testid={`institution-${type}`}
            onClick={() => onToggleInstitution(type)}
          >
            <span className="dot" style={{ background: INSTITUTION_COLOURS[type] }} />
            {t(`institutions.${type}`)}
          </button>
        ))}
      </fieldset>
    </aside>
  );
}
