import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  boundariesOptions,
  metaOptions,
  RECORD_STATUSES,
  type Principal,
  type RecordStatus,
} from '../api';
import { isFiltered, kelurahanChoices, NO_FILTERS, type QueueFilters } from '../verify-queue';
import { isVerifier } from '../verify-rules';

/** Narrows the queue: state, kelurahan, aggregator, dates of the aid, possible duplicates. */
export function VerifyFilters({
  principal,
  filters,
  onChange,
}: {
  principal: Principal;
  filters: QueueFilters;
  onChange: (next: QueueFilters) => void;
}) {
  const { t } = useTranslation();
  const meta = useQuery(metaOptions()).data;
  const kelurahanLayer = useQuery(boundariesOptions('kelurahan', meta)).data;
  const kelurahan = kelurahanChoices(principal, kelurahanLayer?.features);
  const set = (patch: Partial<QueueFilters>) => onChange({ ...filters, ...patch });

  return (
    <details className="verify-filters card" open data-testid="verify-filters">
      <summary>{t('verify.filters.title')}</summary>
      <div className="filter-grid">
        <label className="field">
          <span>{t('verify.filters.status')}</span>
          <select
            value={filters.status}
            onChange={(e) => set({ status: e.target.value as RecordStatus | '' })}
            data-testid="filter-status"
          >
            <option value="">
              {isVerifier(principal) ? t('verify.filters.myQueue') : t('verify.filters.allStates')}
            </option>
            {RECORD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('verify.filters.kelurahan')}</span>
          <select
            value={filters.kelurahan}
            onChange={(e) => set({ kelurahan: e.target.value })}
            data-testid="filter-kelurahan"
          >
            <option value="">{t('verify.filters.allKelurahan')}</option>
            {kelurahan.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('verify.filters.aggregator')}</span>
          <select
            value={filters.aggregator}
            onChange={(e) => set({ aggregator: e.target.value })}
            data-testid="filter-aggregator"
          >
            <option value="">{t('verify.filters.allAggregators')}</option>
            {meta?.aggregators.map((a) => (
              <option key={a.slug} value={a.slug}>
                {a.short_name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('verify.filters.from')}</span>
          <input
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(e) => set({ from: e.target.value })}
            data-testid="filter-from"
          />
        </label>
        <label className="field">
          <span>{t('verify.filters.to')}</span>
          <input
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => set({ to: e.target.value })}
            data-testid="filter-to"
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filters.duplicatesOnly}
            onChange={(e) => set({ duplicatesOnly: e.target.checked })}
            data-testid="filter-duplicates"
          />
          {t('verify.filters.duplicates')}
        </label>
        {isFiltered(filters) && (
          <button type="button" className="link" onClick={() => onChange(NO_FILTERS)}>
            {t('verify.filters.clear')}
          </button>
        )}
      </div>
    </details>
  );
}
