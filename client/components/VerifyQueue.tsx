import { useTranslation } from 'react-i18next';
import type { RecordPage, RecordRow } from '../api';
import type { Language } from '../i18n';
import type { TypeNames } from '../verify-names';
import { formatCount, formatDateTime } from '../locale-format';
import { formatDay, formatReceived } from '../verify-format';
import { FlagBadges, StatusBadge } from './VerifyBadges';

/**
 * The records waiting, oldest first, one page at a time. A row opens the record; verifiers
 * also tick rows for a bulk decision.
 */
export function VerifyQueue({
  page,
  filtered,
  selected,
  checked,
  checkable,
  lang,
  names,
  onSelect,
  onCheck,
  onPage,
}: {
  page: RecordPage;
  /** Whether filters narrow the queue (the empty queue then says so). */
  filtered: boolean;
  selected: number | null;
  checked: ReadonlySet<number>;
  checkable: boolean;
  lang: Language;
  names: TypeNames;
  onSelect: (id: number) => void;
  onCheck: (ids: number[], on: boolean) => void;
  onPage: (offset: number) => void;
}) {
  const { t } = useTranslation();
  const { rows, total, offset, limit } = page;
  if (rows.length === 0)
    return (
      <p className="muted queue-empty" data-testid="queue-empty">
        {filtered ? t('verify.queue.empty') : t('verify.queue.emptyQueue')}
      </p>
    );
  const allChecked = rows.every((r) => checked.has(r.id));
  return (
    <>
      <div className="table-wrap">
        <table className="queue" data-testid="queue">
          <thead>
            <tr>
              {checkable && (
                <th scope="col" className="check">
                  <input
                    type="checkbox"
                    checked={allChecked}
                    aria-label={t('verify.queue.selectPage')}
                    onChange={(e) =>
                      onCheck(
                        rows.map((r) => r.id),
                        e.target.checked,
                      )
                    }
                    data-testid="check-page"
                  />
                </th>
              )}
              <th scope="col">{t('verify.queue.status')}</th>
              <th scope="col">{t('verify.queue.location')}</th>
              <th scope="col">{t('verify.queue.aggregator')}</th>
              <th scope="col">{t('verify.queue.aid')}</th>
              <th scope="col" className="num">
                {t('verify.queue.quantity')}
              </th>
              <th scope="col">{t('verify.queue.date')}</th>
              <th scope="col">{t('verify.queue.received')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <QueueRow
                key={r.id}
                row={r}
                selected={r.id === selected}
                checked={checked.has(r.id)}
                checkable={checkable}
                lang={lang}
                names={names}
                onSelect={onSelect}
                onCheck={onCheck}
              />
            ))}
          </tbody>
        </table>
      </div>
      <QueuePager
        total={total}
        offset={offset}
        limit={limit}
        shown={rows.length}
        lang={lang}
        onPage={onPage}
      />
    </>
  );
}

function QueueRow({
  row: r,
  selected,
  checked,
  checkable,
  lang,
  names,
  onSelect,
  onCheck,
}: {
  row: RecordRow;
  selected: boolean;
  checked: boolean;
  checkable: boolean;
  lang: Language;
  names: TypeNames;
  onSelect: (id: number) => void;
  onCheck: (ids: number[], on: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <tr
      className={selected ? 'selected' : undefined}
      aria-selected={selected}
      data-testid="queue-row"
      data-id={r.id}
      data-external={r.external_id}
      data-status={r.status}
      onClick={(e) => {
        // A click on the checkbox ticks the row; anywhere else opens the record.
        if ((e.target as HTMLElement).closest('input')) return;
        onSelect(r.id);
      }}
    >
      {checkable && (
        <td className="check">
          <input
            type="checkbox"
            checked={checked}
            aria-label={t('verify.queue.select', { id: r.id })}
            onChange={(e) => onCheck([r.id], e.target.checked)}
            data-testid="check-row"
          />
        </td>
      )}
      <td className="state">
        <StatusBadge status={r.status} /> <FlagBadges flags={r.flags} />
      </td>
      <td className="place">
        <button
          type="button"
          className="link"
          aria-label={t('verify.queue.open', { id: r.id })}
          aria-current={selected ? 'true' : undefined}
          onClick={() => onSelect(r.id)}
        >
          {r.kelurahan_name}
        </button>
        <span className="muted"> · {r.rw_name ?? t('verify.record.noRw')}</span>
      </td>
      <td data-label={t('verify.queue.aggregator')} title={r.aggregator_name}>
        {names.aggregator(r.aggregator)}
      </td>
      <td data-label={t('verify.queue.aid')}>{names.aid(r.aid_type)}</td>
      <td className="num" data-label={t('verify.queue.quantity')}>
        {formatCount(r.quantity, lang)}
      </td>
      <td data-label={t('verify.queue.date')}>{formatDay(r.date, lang)}</td>
      <td
        className="muted"
        data-label={t('verify.queue.received')}
        title={formatDateTime(r.received_at, lang)}
      >
        {formatReceived(r.received_at, lang)}
      </td>
    </tr>
  );
}

function QueuePager({
  total,
  offset,
  limit,
  shown,
  lang,
  onPage,
}: {
  total: number;
  offset: number;
  limit: number;
  shown: number;
  lang: Language;
  onPage: (offset: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <nav className="pager" aria-label={t('verify.queue.pages')}>
      <span data-testid="queue-range">
        {t('verify.queue.range', {
          first: formatCount(offset + 1, lang),
          last: formatCount(offset + shown, lang),
          total: formatCount(total, lang),
        })}
      </span>
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => onPage(Math.max(0, offset - limit))}
      >
        {t('verify.queue.previous')}
      </button>
      <button
        type="button"
        disabled={offset + shown >= total}
        onClick={() => onPage(offset + limit)}
        data-testid="queue-next"
      >
        {t('verify.queue.next')}
      </button>
    </nav>
  );
}
