import { useTranslation } from 'react-i18next';
import type { Meta } from '../api';
import type { Language } from '../i18n';
import type { UpdateView } from '../use-view-state';
import {
  AID_TYPE_OPTIONS,
  LEVEL_OPTIONS,
  PLANNER_METRICS,
  PUBLIC_METRICS,
  type DateExtent,
  type LevelKey,
  type MetricKey,
  type ViewState,
} from '../url-state';
import { formatDate } from '../format';

interface Props {
  view: ViewState;
  level: LevelKey;
  /** The measure shown (a planner measure in the link falls back for anyone else). */
  metric: MetricKey;
  meta: Meta | undefined;
  lang: Language;
  range: DateExtent;
  /** The dates the data spans (every record's for a planner with unverified records). */
  extent: DateExtent | undefined;
  setView: UpdateView;
  /** The caller may include unverified records and see the planner measures. */
  planner: boolean;
}

const toggle = <T,>(list: readonly T[], value: T): T[] =>
  list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

/** Level, measure and the filters that narrow every number on the page. */
export function Filters({ view, level, metric, meta, lang, setView, planner }: Props) {
  const { t } = useTranslation();
  const aggregators = meta?.aggregators ?? [];
  const recipients = meta?.recipient_types ?? [];
  const aidName = (slug: string) =>
    meta?.aid_types.find((a) => a.slug === slug)?.name[lang] ?? slug;
  return (
    <section className="controls" aria-label={t('filters')}>
      <label>
        {t('level')}
        <select
          data-testid="level"
          value={level}
          onChange={(e) =>
            setView({ level: e.target.value as LevelKey, area: undefined, selected: undefined })
          }
        >
          {LEVEL_OPTIONS.map((l) => (
            <option key={l} value={l}>
              {t(`levels.${l}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('metric')}
        <select
          data-testid="metric"
          value={metric}
          onChange={(e) => setView({ metric: e.target.value as MetricKey })}
        >
          {PUBLIC_METRICS.map((m) => (
            <option key={m} value={m}>
              {t(`metrics.${m}`)}
            </option>
          ))}
          {planner && (
            <optgroup label={t('plannerMeasures.group')} data-testid="planner-metrics">
              {PLANNER_METRICS.map((m) => (
                <option key={m} value={m}>
                  {t(`metrics.${m}`)}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <fieldset className="chips">
        <legend>{t('aidType')}</legend>
        {AID_TYPE_OPTIONS.map((a) => (
          <button
            key={a}
            type="button"
            data-testid={`aid-chip-${a}`}
            className={view.aid.includes(a) ? 'chip on' : 'chip'}
            aria-pressed={view.aid.includes(a)}
            onClick={() => setView({ aid: toggle(view.aid, a) })}
          >
            {aidName(a)}
          </button>
        ))}
      </fieldset>
      <AddSelect
        label={t('aggregator')}
        testId="add-aggregator"
        options={aggregators
          .filter((a) => !view.aggregator.includes(a.slug))
          .map((a) => ({ value: a.slug, label: a.short_name }))}
        onAdd={(slug) => setView({ aggregator: [...view.aggregator, slug].sort() })}
      />
      <AddSelect
        label={t('recipient')}
        testId="add-recipient"
        options={recipients
          .filter((r) => !view.recipient.includes(r.slug))
          .map((r) => ({ value: r.slug, label: r.name[lang] }))}
        onAdd={(slug) => setView({ recipient: [...view.recipient, slug].sort() })}
      />
      {planner && (
        <label className="unverified-toggle" title={t('unverified.hint')}>
          <input
            type="checkbox"
            role="switch"
            data-testid="include-unverified"
            checked={view.records === 'all'}
            onChange={(e) => setView({ records: e.target.checked ? 'all' : 'verified' })}
          />
          {t('unverified.toggle')}
        </label>
      )}
    </section>
  );
}

function AddSelect({
  label,
  testId,
  options,
  onAdd,
}: {
  label: string;
  testId: string;
  options: { value: string; label: string }[];
  onAdd: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <label>
      {label}
      <select
        data-testid={testId}
        value=""
        disabled={!options.length}
        onChange={(e) => {
          if (e.target.value) onAdd(e.target.value);
        }}
      >
        <option value="">{t('addFilter')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Every filter that narrows the data, as a chip that removes it. */
export function ActiveFilters({ view, meta, lang, range, extent, setView, planner }: Props) {
  const { t } = useTranslation();
  const chips: { key: string; label: string; remove: Partial<ViewState>; className?: string }[] =
    [];
  // First, and marked: these figures are not the public ones.
  if (planner && view.records === 'all')
    chips.push({
      key: 'records',
      label: t('unverified.chip'),
      remove: { records: 'verified' },
      className: 'unverified',
    });
  if (extent && (range.from !== extent.from || range.to !== extent.to))
    chips.push({
      key: 'dates',
      label: t('time.range', {
        from: formatDate(range.from, lang),
        to: formatDate(range.to, lang),
      }),
      remove: { from: undefined, to: undefined, play: 'cumulative' },
    });
  for (const a of view.aid)
    chips.push({
      key: `aid-${a}`,
      label: meta?.aid_types.find((x) => x.slug === a)?.name[lang] ?? a,
      remove: { aid: view.aid.filter((x) => x !== a) },
    });
  for (const a of view.aggregator)
    chips.push({
      key: `agg-${a}`,
      label: meta?.aggregators.find((x) => x.slug === a)?.short_name ?? a,
      remove: { aggregator: view.aggregator.filter((x) => x !== a) },
    });
  for (const r of view.recipient)
    chips.push({
      key: `rcpt-${r}`,
      label: meta?.recipient_types.find((x) => x.slug === r)?.name[lang] ?? r,
      remove: { recipient: view.recipient.filter((x) => x !== r) },
    });
  if (!chips.length) return null;
  return (
    <ul className="active-filters" aria-label={t('activeFilters')} data-testid="active-filters">
      {chips.map((c) => (
        <li key={c.key}>
          <button
            type="button"
            className={c.className ? `chip on removable ${c.className}` : 'chip on removable'}
            aria-label={t('removeFilter', { name: c.label })}
            data-testid={`filter-chip-${c.key}`}
            onClick={() => setView(c.remove)}
          >
            {c.label} <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
      {chips.length > 1 && (
        <li>
          <button
            type="button"
            className="link"
            onClick={() =>
              setView({
                aid: [],
                aggregator: [],
                recipient: [],
                from: undefined,
                to: undefined,
                play: 'cumulative',
                records: 'verified',
              })
            }
          >
            {t('clearFilters')}
          </button>
        </li>
      )}
    </ul>
  );
}
