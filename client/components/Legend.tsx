import { useTranslation } from 'react-i18next';
import {
  BIVARIATE_PALETTE,
  INSTITUTION_COLOURS,
  NO_AID_HEX,
  type BivariateClasses,
  type LegendBin,
} from '../colour';
import { formatNumber, formatRate, formatShare } from '../format';
import { INSTITUTION_TYPE_OPTIONS, type InstitutionKey, type MetricKey } from '../url-state';

function binLabel(metric: MetricKey, b: LegendBin): string {
  if (metric === 'coverage')
    return `${formatShare(b.from)}${b.to === Infinity ? '+' : ` – ${formatShare(b.to)}`}`;
  const f =
    metric === 'covid_per_10k' || metric === 'packages_per_100_need' ? formatRate : formatNumber;
  return `${f(b.from)} – ${f(b.to)}`;
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
            <li key={b.colour}>
              <span className="swatch" style={{ background: b.colour }} />
              {binLabel(metric, b)}
            </li>
          ))}
          <li>
            <span className="swatch" style={{ background: NO_AID_HEX }} />
            {metric === 'covid_per_10k' ? t('noData') : t('noAid')}
          </li>
        </ul>
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
