import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { batchesOptions, batchOptions, RECORD_STATUSES, type BatchRow } from '../api';
import type { Language } from '../i18n';
import { formatCount, formatDateTime } from '../locale-format';
import { VerifyReturned } from './VerifyReturned';

const COLUMNS = 7;
/** Rows shown before "show all": the newest uploads, not a year of seeded batches. */
const FIRST_ROWS = 10;

/** The caller's batches, newest first, with how far verification of their rows has come. */
export function BatchHistory({ lang }: { lang: Language }) {
  const { t } = useTranslation();
  const batches = useQuery(batchesOptions());
  const [open, setOpen] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const every = batches.data?.rows ?? [];
  const rows = all ? every : every.slice(0, FIRST_ROWS);
  const n = (x: number) => formatCount(x, lang);

  return (
    <section className="card" aria-labelledby="history-title" data-testid="batch-history">
      <h2 id="history-title">{t('batches.title')}</h2>
      {batches.isError ? (
        <p className="form-error">{t('error')}</p>
      ) : !batches.data ? (
        <p className="muted">{t('loading')}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t('batches.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="history">
            <thead>
              <tr>
                <th scope="col">{t('batches.receivedAt')}</th>
                <th scope="col">{t('batches.batch')}</th>
                <th scope="col" className="num">
                  {t('batches.rows')}
                </th>
                <th scope="col" className="num">
                  {t('batches.accepted')}
                </th>
                <th scope="col">{t('batches.status')}</th>
                <th scope="col" className="num">
                  {t('batches.packages')}
                </th>
                <th scope="col" className="num">
                  {t('batches.rws')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <Fragment key={b.batch_id}>
                  <tr data-testid="batch-row" data-batch={b.batch_id}>
                    <td className="full when">{formatDateTime(b.received_at, lang)}</td>
                    <td className="full">
                      <button
                        type="button"
                        className="link mono"
                        aria-expanded={open === b.batch_id}
                        aria-label={t('batches.details', { id: b.batch_id })}
                        onClick={() => setOpen(open === b.batch_id ? null : b.batch_id)}
                      >
                        {b.batch_id}
                      </button>
                    </td>
                    <td className="num" data-label={t('batches.rows')}>
                      {n(b.rows)}
                    </td>
                    <td className="num" data-label={t('batches.accepted')}>
                      {n(b.accepted)}
                    </td>
                    <td className="full">
                      <StatusCounts batch={b} lang={lang} />
                    </td>
                    <td className="num" data-label={t('batches.packages')}>
                      {n(b.packages.total)}
                    </td>
                    <td className="num" data-label={t('batches.rws')}>
                      {n(b.rws)}
                    </td>
                  </tr>
                  {open === b.batch_id && (
                    <tr className="detail">
                      <td colSpan={COLUMNS}>
                        <BatchDetail
                          id={b.batch_id}
                          submittedBy={b.submitted_by}
                          sentBack={(b.by_status.returned ?? 0) + (b.by_status.rejected ?? 0)}
                          lang={lang}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {every.length > rows.length && (
            <p>
              <button type="button" className="link" onClick={() => setAll(true)}>
                {t('batches.showAll', { count: every.length })}
              </button>
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function StatusCounts({ batch, lang }: { batch: BatchRow; lang: Language }) {
  const { t } = useTranslation();
  const present = RECORD_STATUSES.filter((s) => (batch.by_status[s] ?? 0) > 0);
  return (
    <ul className="statuses">
      {present.map((s) => (
        <li key={s} className={`status status-${s}`} data-status={s}>
          <span className="num">{formatCount(batch.by_status[s], lang)}</span> {t(`statuses.${s}`)}
        </li>
      ))}
    </ul>
  );
}

function BatchDetail({
  id,
  submittedBy,
  sentBack,
  lang,
}: {
  id: string;
  submittedBy: string;
  /** Records of the batch verifiers returned or rejected: listed with their reasons. */
  sentBack: number;
  lang: Language;
}) {
  const { t } = useTranslation();
  const detail = useQuery(batchOptions(id));
  const codes = detail.data?.rw_codes ?? [];
  return (
    <div className="batch-detail" data-testid="batch-detail">
      <p>
        <code>{id}</code> · {t('batches.by')}: {submittedBy}
        {detail.data && (
          <>
            {' '}
            · {t('upload.receipt.already')}: {formatCount(detail.data.already_received, lang)}
            {detail.data.corrected > 0 && (
              <>
                {' '}
                · {t('upload.receipt.corrected')}: {formatCount(detail.data.corrected, lang)}
              </>
            )}
          </>
        )}
      </p>
      {sentBack > 0 && <VerifyReturned batchId={id} lang={lang} />}
      {detail.isError ? (
        <p className="form-error">{t('error')}</p>
      ) : !detail.data ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <>
          <h4>{t('batches.rwCodes', { count: codes.length })}</h4>
          <ul className="rw-codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
