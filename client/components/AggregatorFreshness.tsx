import { useTranslation } from 'react-i18next';
import type { Meta } from '../api';
import type { Language } from '../i18n';
import { formatDay } from '../locale-format';

/**
 * Each aggregator's last verified upload ("Data per 27 Mei 2020") and the last day its verified
 * records cover: an aggregator that went quiet is not an area without aid.
 */
export function AggregatorFreshness({ meta, lang }: { meta: Meta | undefined; lang: Language }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="freshness-title" data-testid="freshness">
      <h2 id="freshness-title">{t('freshness.title')}</h2>
      <p>{t('freshness.intro')}</p>
      <table>
        <caption>{t('freshness.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('freshness.aggregator')}</th>
            <th scope="col">{t('freshness.dataPer')}</th>
            <th scope="col">{t('freshness.through')}</th>
          </tr>
        </thead>
        <tbody>
          {(meta?.aggregators ?? []).map((a) => (
            <tr key={a.slug} data-testid="freshness-row" data-slug={a.slug}>
              <th scope="row">{a.name}</th>
              <td data-testid="freshness-data-per">
                {a.last_verified_upload
                  ? t('freshness.dataPerValue', { date: formatDay(a.last_verified_upload, lang) })
                  : t('freshness.none')}
              </td>
              <td data-label={t('freshness.through')}>
                {a.verified_through ? formatDay(a.verified_through, lang) : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
