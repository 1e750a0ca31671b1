import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { recordsOptions, sessionOptions, type RecordQuery } from '../api';
import type { Language } from '../i18n';
import { formatCount } from '../locale-format';
import { formatDay } from '../verify-format';
import { useTypeNames } from '../verify-names';
import { callerKey } from '../verify-rules';
import { StatusBadge } from './VerifyBadges';

/** Records listed per batch; a batch with more says how many are left out. */
const LISTED = 200;

/**
 * An aggregator's returned and rejected records of one batch, with the verifier's reason and
 * note, so they can be corrected and sent again.
 */
export function VerifyReturned({ batchId, lang }: { batchId: string; lang: Language }) {
  const { t } = useTranslation();
  const principal = useQuery(sessionOptions()).data;
  const names = useTypeNames(lang);
  const query: RecordQuery = {
    batch_id: batchId,
    status: ['returned', 'rejected'],
    offset: 0,
    limit: LISTED,
  };
  const records = useQuery({
    ...recordsOptions(principal ? callerKey(principal) : '', query),
    enabled: !!principal,
  });
  const rows = records.data?.rows ?? [];
  const total = records.data?.total ?? 0;
  return (
    <section className="returned" data-testid="returned">
      <h4>{t('verify.returned.title', { count: total })}</h4>
      {records.isError ? (
        <p className="form-error">{t('error')}</p>
      ) : !records.data ? (
        <p className="muted">{t('loading')}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t('verify.returned.none')}</p>
      ) : (
        <>
          <p className="hint">{t('verify.returned.intro')}</p>
          <ul className="returned-list">
            {rows.map((r) => (
              <li
                key={r.id}
                data-testid="returned-record"
                data-id={r.id}
                data-external={r.external_id}
              >
                <span className="returned-head">
                  <code>{r.external_id}</code> <StatusBadge status={r.status} />
                </span>
                <span className="muted">
                  {formatDay(r.date, lang)} · {names.aid(r.aid_type)} ·{' '}
                  {formatCount(r.quantity, lang)} · {r.kelurahan_name}
                  {r.rw_name ? ` · ${r.rw_name}` : ''}
                </span>
                {r.reason && (
                  <span className="why" data-testid="returned-reason">
                    {t('verify.returned.reason')}:{' '}
                    {t(`verify.reason.codes.${r.reason}`, { defaultValue: r.reason })}
                    {r.note && (
                      <>
                        {' '}
                        · {t('verify.returned.note')}: <q data-testid="returned-note">{r.note}</q>
                      </>
                    )}
                  </span>
                )}
              </li>
            ))}
          </ul>
          {total > rows.length && (
            <p className="muted">{t('verify.returned.more', { count: total - rows.length })}</p>
          )}
        </>
      )}
    </section>
  );
}
