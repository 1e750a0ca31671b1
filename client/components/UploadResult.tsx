import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { metaOptions, type RowError, type UploadReceipt } from '../api';
import { aidLabels } from '../aid-types';
import type { Language } from '../i18n';
import { formatCount, formatDateTime } from '../locale-format';
import { downloadCsv } from '../upload-file';
import { AID_TYPE_OPTIONS } from '../url-state';

/** What the server stored: the batch, its rows, and the packages by aid type. */
export function Receipt({
  receipt,
  created,
  lang,
}: {
  receipt: UploadReceipt;
  /** 201: a new batch; 200: every row had been received before. */
  created: boolean;
  lang: Language;
}) {
  const { t } = useTranslation();
  const meta = useQuery(metaOptions());
  const labels = aidLabels(meta.data, lang);
  const n = (x: number) => formatCount(x, lang);
  const max = Math.max(1, ...AID_TYPE_OPTIONS.map((a) => receipt.packages[a]));
  return (
    <section className="result ok" role="status" data-testid="receipt">
      <h3>{t('upload.receipt.title')}</h3>
      <p>{created ? t('upload.receipt.created') : t('upload.receipt.replayed')}</p>
      <dl className="facts receipt-facts">
        <div className="wide">
          <dt>{t('upload.receipt.batch')}</dt>
          <dd>
            <code data-testid="receipt-batch">{receipt.batch_id ?? t('upload.receipt.none')}</code>
          </dd>
        </div>
        <div className="wide">
          <dt>{t('upload.receipt.receivedAt')}</dt>
          <dd>{formatDateTime(receipt.received_at, lang)}</dd>
        </div>
        <div>
          <dt>{t('upload.receipt.rows')}</dt>
          <dd data-testid="receipt-rows">{n(receipt.rows)}</dd>
        </div>
        <div>
          <dt>{t('upload.receipt.accepted')}</dt>
          <dd data-testid="receipt-accepted">{n(receipt.accepted)}</dd>
        </div>
        <div>
          <dt>{t('upload.receipt.already')}</dt>
          <dd data-testid="receipt-already">{n(receipt.already_received)}</dd>
        </div>
        {receipt.corrected > 0 && (
          <div>
            <dt>{t('upload.receipt.corrected')}</dt>
            <dd data-testid="receipt-corrected">{n(receipt.corrected)}</dd>
          </div>
        )}
        <div>
          <dt>{t('upload.receipt.packages')}</dt>
          <dd data-testid="receipt-packages">{n(receipt.packages.total)}</dd>
        </div>
        <div>
          <dt>{t('upload.receipt.rws')}</dt>
          <dd data-testid="receipt-rws">{n(receipt.rws)}</dd>
        </div>
        <div>
          <dt>{t('upload.receipt.kelurahan')}</dt>
          <dd>{n(receipt.kelurahan)}</dd>
        </div>
      </dl>
      {receipt.corrected > 0 && (
        <p className="hint" data-testid="receipt-corrected-note">
          {t('upload.receipt.correctedNote', { count: receipt.corrected })}
        </p>
      )}
      {receipt.kelurahan_only > 0 && (
        <p className="muted" data-testid="receipt-kelurahan-only">
          {t('upload.receipt.kelurahanOnly', { count: receipt.kelurahan_only })}
        </p>
      )}
      <h4>{t('upload.receipt.byType')}</h4>
      <ul className="bars">
        {AID_TYPE_OPTIONS.map((a) => (
          <li key={a} data-testid={`receipt-${a}`}>
            <span>{labels[a]}</span>
            <span className="bar-track">
              <span
                className={`bar-fill aid-${a}`}
                style={{ width: `${(100 * receipt.packages[a]) / max}%` }}
              />
            </span>
            <span className="num">{n(receipt.packages[a])}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The rows the server refused, as a spreadsheet numbers them; nothing of the file was stored. */
export function RowErrors({
  rows,
  total,
  fileName,
}: {
  rows: RowError[];
  total: number;
  fileName: string;
}) {
  const { t } = useTranslation();
  const more = Math.max(0, total - rows.length);
  const download = () =>
    downloadCsv(`${fileName.replace(/\.[^.]*$/, '')}-errors.csv`, [
      [t('upload.errors.row'), t('upload.errors.column'), 'code', t('upload.errors.message')],
      ...rows.map((r) => [r.row, r.column, r.code, r.message]),
    ]);
  return (
    <section className="result bad" role="alert" data-testid="row-errors">
      <h3>{t('upload.errors.title')}</h3>
      <p>{t('upload.errors.intro', { count: total })}</p>
      <div className="table-wrap">
        <table className="errors">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('upload.errors.row')}
              </th>
              <th scope="col">{t('upload.errors.column')}</th>
              <th scope="col">{t('upload.errors.message')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.row}-${r.column}-${i}`} data-testid="row-error" data-row={r.row}>
                <td className="num">{r.row}</td>
                <td>{r.column ? <code>{r.column}</code> : t('upload.errors.wholeRow')}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more > 0 && (
        <p className="muted" data-testid="row-errors-more">
          {t('upload.errors.more', { count: more })}
        </p>
      )}
      <p>
        <button type="button" onClick={download} data-testid="errors-csv">
          {t('upload.errors.download')}
        </button>
      </p>
    </section>
  );
}
