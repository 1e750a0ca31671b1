import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { HttpError, queueStatsOptions, sessionOptions, type AggregatorQueue } from '../api';
import type { Language } from '../i18n';
import { formatCount, formatDateTime, formatDecimal } from '../locale-format';

/** The figures summed over aggregators for the table's last row. */
function totals(rows: readonly AggregatorQueue[]) {
  return rows.reduce(
    (sum, r) => ({
      submitted: sum.submitted + r.submitted,
      verified_kelurahan: sum.verified_kelurahan + r.verified_kelurahan,
    }),
    { submitted: 0, verified_kelurahan: 0 },
  );
}

/**
 * For planners: per aggregator, the records waiting at each check, the oldest upload still
 * waiting and the median hours from upload to the province's verification.
 */
export function VerificationQueues({ caller, lang }: { caller: string; lang: Language }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const stats = useQuery(queueStatsOptions(caller));
  const refused = stats.error instanceof HttpError && stats.error.status === 401;
  // The session ended: ask who is signed in, and the panel goes with the planner's role.
  useEffect(() => {
    if (refused) void queryClient.invalidateQueries({ queryKey: sessionOptions().queryKey });
  }, [refused, queryClient]);
  const rows = stats.data?.aggregators ?? [];
  const sum = totals(rows);
  const count = (n: number) => formatCount(n, lang);
  return (
    <section aria-labelledby="queues-title" className="queues" data-testid="queues">
      <h2 id="queues-title">
        {t('queues.title')} <span className="badge planner">{t('plannerMeasures.badge')}</span>
      </h2>
      <p>{t('queues.intro')}</p>
      {stats.isError ? (
        <p className="form-error">{t('queues.error')}</p>
      ) : !stats.data ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <>
          <table>
            <caption>{t('queues.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queues.aggregator')}</th>
                <th scope="col" className="num">
                  {t('queues.atKelurahan')}
                </th>
                <th scope="col" className="num">
                  {t('queues.atProvince')}
                </th>
                <th scope="col">{t('queues.oldest')}</th>
                <th scope="col" className="num">
                  {t('queues.median')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.aggregator} data-testid="queue-stats-row" data-slug={r.aggregator}>
                  <th scope="row">{r.aggregator_name}</th>
                  <td className="num" data-label={t('queues.atKelurahan')}>
                    {count(r.submitted)}
                  </td>
                  <td className="num" data-label={t('queues.atProvince')}>
                    {count(r.verified_kelurahan)}
                  </td>
                  <td data-label={t('queues.oldest')}>
                    {r.oldest_waiting
                      ? formatDateTime(r.oldest_waiting, lang)
                      : t('queues.nothingWaiting')}
                  </td>
                  <td className="num" data-label={t('queues.median')}>
                    {r.median_hours_to_verified === null
                      ? '–'
                      : t('queues.hours', { n: formatDecimal(r.median_hours_to_verified, lang) })}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('queues.total')}</th>
                <td className="num" data-label={t('queues.atKelurahan')}>
                  {count(sum.submitted)}
                </td>
                <td className="num" data-label={t('queues.atProvince')}>
                  {count(sum.verified_kelurahan)}
                </td>
                <td />
                <td />
              </tr>
            </tfoot>
          </table>
          {rows.some((r) => r.median_hours_to_verified === null) && (
            <p className="muted small">{t('queues.noMedian')}</p>
          )}
        </>
      )}
    </section>
  );
}
