import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChoroplethRow, OverlapRow } from '../api';
import { formatNumber, formatShare, formatSmallShare } from '../format';
import type { LevelKey } from '../url-state';

/** Region names without the administrative prefix the table has no room for. */
export function shortName(name: string): string {
  return name.replace(/^(Kota|Kabupaten) Administrasi /, '');
}

/** The most underserved areas of the view, ranked by gap; synced with the map's selection. */
export function GapsTable({
  rows,
  total,
  level,
  selected,
  disabled,
  overlap,
  onSelect,
  onOpen,
}: {
  rows: readonly (ChoroplethRow & { context?: string | null })[];
  /** How many areas of the view are underserved or uncovered in all. */
  total: number | undefined;
  level: LevelKey;
  selected: string | undefined;
  /** Rows of the previous view stay visible while the next loads; not clickable. */
  disabled: boolean;
  /**
   * Planners: households served by more than one aggregator, by region code (a column of its
   * own), null while it loads; undefined for anyone else. A region missing from it had no
   * household served.
   */
  overlap?: ReadonlyMap<string, OverlapRow> | null | undefined;
  onSelect: (code: string) => void;
  onOpen: (code: string) => void;
}) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  // Brings the selected row into view inside the table only (the panel above stays in place).
  useEffect(() => {
    const box = scroller.current;
    const row = box?.querySelector<HTMLTableRowElement>(`tr[data-code="${selected}"]`);
    if (!box || !row) return;
    const header = box.querySelector('thead')?.offsetHeight ?? 0;
    if (row.offsetTop < box.scrollTop + header) box.scrollTop = row.offsetTop - header;
    else if (row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = row.offsetTop + row.offsetHeight - box.clientHeight;
  }, [selected, rows]);
  return (
    <section className="gaps" aria-label={t('gaps.title')}>
      <h2>
        {t('gaps.title')}
        {total !== undefined && (
          <span className="muted">
            {' '}
            · {t('gaps.total', { count: total, n: formatNumber(total) })}
          </span>
        )}
      </h2>
      {rows.length === 0 ? (
        <p className="muted">{t('gaps.none')}</p>
      ) : (
        <div className="table-scroll" ref={scroller}>
          <table className={overlap !== undefined ? 'with-overlap' : undefined}>
            <thead>
              <tr>
                <th scope="col">{t(`levels.${level}`)}</th>
                <th scope="col">{t('gaps.need')}</th>
                <th scope="col">{t('gaps.coverage')}</th>
                <th scope="col">{t('gaps.gap')}</th>
                {overlap !== undefined && (
                  <th scope="col" data-testid="gaps-overlap-header">
                    <abbr title={t('gaps.overlapTitle')}>{t('gaps.overlap')}</abbr>
                  </th>
                )}
                {level !== 'rw' && <th scope="col" className="sr-only-cell" />}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.code}
                  data-testid="gap-row"
                  data-code={r.code}
                  className={r.code === selected ? 'selected' : undefined}
                  aria-selected={r.code === selected}
                >
                  <td>
                    <button
                      type="button"
                      className="link"
                      disabled={disabled}
                      onClick={() => onSelect(r.code)}
                    >
                      {shortName(r.name)}
                    </button>
                    {r.context && <span className="context"> · {r.context}</span>}
                    {r.status === 'uncovered' && (
                      <span
                        className="badge uncovered"
                        title={t('area.status.uncovered')}
                        aria-label={t('area.status.uncovered')}
                      />
                    )}
                  </td>
                  <td>{formatNumber(r.need)}</td>
                  <td>{formatShare(r.coverage)}</td>
                  <td>{formatNumber(r.gap)}</td>
                  {overlap !== undefined && (
                    <td data-testid="gap-overlap">
                      {overlap
                        ? formatSmallShare(overlap.get(r.code)?.multi_aggregator_share ?? null)
                        : '…'}
                    </td>
                  )}
                  {level !== 'rw' && (
                    <td>
                      <button
                        type="button"
                        className="drill"
                        data-testid="drill"
                        disabled={disabled}
                        aria-label={`${t('area.open')}: ${r.name}`}
                        title={t('area.open')}
                        onClick={() => onOpen(r.code)}
                      >
                        ›
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
