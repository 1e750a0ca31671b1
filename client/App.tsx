import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { bbox } from '@turf/turf';
import type { PickingInfo } from '@deck.gl/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  boundariesOptions,
  choroplethOptions,
  summaryOptions,
  type Boundaries,
  type ChoroplethRow,
} from './api';
import { legendBins } from './colour';
import { formatNumber, formatShare } from './format';
import { rememberLanguage, type Language } from './i18n';
import { buildLayers, metricValue } from './layers';
import { MapView } from './components/MapView';
import {
  AID_TYPE_OPTIONS,
  childLevel,
  LEVEL_OPTIONS,
  levelOfArea,
  METRIC_OPTIONS,
  parseViewState,
  serializeViewState,
  type ViewState,
} from './url-state';

const GAP_ROWS = 10;

/** The area's own code and those of the regions above it, top first. */
function ancestry(area: string | undefined): string[] {
  if (!area) return [];
  const parts = area.split('.');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 2).join('.'));
}

const AID_LABELS: Record<string, { id: string; en: string }> = {
  sembako: { id: 'Sembako', en: 'Staple food' },
  siap_saji: { id: 'Siap saji', en: 'Ready meals' },
  lebaran: { id: 'Paket Lebaran', en: 'Eid packages' },
  thr: { id: 'Paket THR', en: 'Holiday allowance' },
};

function useViewState(): [ViewState, (next: Partial<ViewState>) => void] {
  const [state, setState] = useState(() => parseViewState(window.location.search));
  // The latest state, so an update pushes exactly one history entry (no side effects in updaters).
  const current = useRef(state);
  useEffect(() => {
    const onPop = () => {
      current.current = parseViewState(window.location.search);
      setState(current.current);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = useCallback((next: Partial<ViewState>) => {
    const merged = { ...current.current, ...next };
    window.history.pushState(null, '', serializeViewState(merged));
    current.current = merged;
    setState(merged);
  }, []);
  return [state, update];
}

export function App() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useViewState();
  const lang = (view.lang ?? i18n.language) as Language;
  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [i18n, lang]);

  const level = view.area ? childLevel(levelOfArea(view.area)) : view.level;
  const boundaries = useQuery(boundariesOptions(level));
  const choropleth = useQuery({
    ...choroplethOptions(level, view.aid, view.area),
    placeholderData: keepPreviousData,
  });
  const summary = useQuery({
    ...summaryOptions(view.aid, view.area),
    placeholderData: keepPreviousData,
  });
  const crumbs = ancestry(view.area);
  const crumbBoundaries = useQueries({
    queries: crumbs.map((code) => boundariesOptions(levelOfArea(code))),
  });
  const crumbNames = crumbs.map(
    (code, i) =>
      crumbBoundaries[i]?.data?.features.find((f) => f.properties.code === code)?.properties.name ??
      code,
  );

  // Only the regions inside the area; the filtered collection stays the same object while the
  // data does, so deck.gl does not re-tessellate on filter changes.
  const shown = useMemo((): Boundaries | undefined => {
    if (!boundaries.data || !view.area) return boundaries.data;
    const prefix = `${view.area}.`;
    return {
      ...boundaries.data,
      features: boundaries.data.features.filter((f) => f.properties.code.startsWith(prefix)),
    };
  }, [boundaries.data, view.area]);
  const bounds = useMemo(
    () =>
      view.area && shown?.features.length
        ? (bbox(shown) as [number, number, number, number])
        : null,
    [shown, view.area],
  );

  const rows = useMemo(
    () => new Map((choropleth.data?.rows ?? []).map((r) => [r.code, r] as [string, ChoroplethRow])),
    [choropleth.data],
  );
  const bins = useMemo(
    () =>
      legendBins(
        view.metric,
        [...rows.values()].map((r) => metricValue(r, view.metric) ?? 0),
      ),
    [rows, view.metric],
  );
  const dataKey = `${level}|${view.area ?? ''}|${view.aid.join(',')}|${choropleth.dataUpdatedAt}`;
  const layers = useMemo(
    () => (shown ? buildLayers(shown, rows, view.metric, bins, dataKey) : []),
    [shown, rows, view.metric, bins, dataKey],
  );
  const drillInto = useCallback(
    (code: string) => {
      if (level !== 'rw') setView({ area: code });
    },
    [level, setView],
  );
  const onMapClick = useCallback(
    (info: PickingInfo) => {
      const code = (info.object as { properties?: { code: string } } | null)?.properties?.code;
      if (code) drillInto(code);
    },
    [drillInto],
  );
  const gaps = useMemo(
    () =>
      [...rows.values()]
        .filter((r) => r.status === 'uncovered' || r.status === 'underserved')
        .sort((a, b) => b.gap - a.gap)
        .slice(0, GAP_ROWS),
    [rows],
  );
  const getTooltip = useCallback(
    (info: PickingInfo) => {
      const code = (info.object as { properties?: { code: string; name: string } } | null)
        ?.properties?.code;
      const row = code ? rows.get(code) : undefined;
      if (!row) return null;
      return `${row.name} (${row.code})\n${t('metrics.need')}: ${formatNumber(row.need)}\n${t('metrics.households_reached')}: ${formatNumber(row.households_reached)}\n${t('metrics.coverage')}: ${formatShare(row.coverage)}\n${t('metrics.packages')}: ${formatNumber(row.packages)}`;
    },
    [rows, t],
  );

  const toggleAid = (aid: (typeof AID_TYPE_OPTIONS)[number]) =>
    setView({
      aid: view.aid.includes(aid) ? view.aid.filter((a) => a !== aid) : [...view.aid, aid],
    });
  const switchLanguage = (next: Language) => {
    rememberLanguage(next);
    setView({ lang: next });
  };

  const s = summary.data;
  return (
    <div className="app">
      <header className="bar">
        <div>
          <h1>{t('title')}</h1>
          <p className="subtitle">{t('subtitle')}</p>
        </div>
        <label className="lang">
          {t('language')}
          <select
            value={lang}
            onChange={(e) => switchLanguage(e.target.value as Language)}
            aria-label={t('language')}
          >
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>

      <section className="kpis" aria-live="polite">
        <Kpi
          label={t('kpi.packages')}
          value={s ? formatNumber(s.packages.total) : '…'}
          testId="kpi-packages"
        />
        <Kpi
          label={t('kpi.households')}
          value={s ? formatNumber(s.households_reached) : '…'}
          testId="kpi-households"
        />
        <Kpi
          label={t('kpi.rws')}
          value={s ? formatNumber(s.areas_reached.rw) : '…'}
          testId="kpi-rws"
        />
        <Kpi
          label={t('kpi.coverage')}
          value={s ? formatShare(s.coverage) : '…'}
          testId="kpi-coverage"
        />
      </section>

      <section className="controls">
        <label>
          {t('level')}
          <select
            value={level}
            onChange={(e) =>
              setView({ level: e.target.value as ViewState['level'], area: undefined })
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
            value={view.metric}
            onChange={(e) => setView({ metric: e.target.value as ViewState['metric'] })}
          >
            {METRIC_OPTIONS.map((m) => (
              <option key={m} value={m}>
                {t(`metrics.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="chips">
          <legend>{t('aidType')}</legend>
          {AID_TYPE_OPTIONS.map((a) => (
            <button
              key={a}
              type="button"
              className={view.aid.includes(a) ? 'chip on' : 'chip'}
              aria-pressed={view.aid.includes(a)}
              onClick={() => toggleAid(a)}
            >
              {AID_LABELS[a]![lang]}
            </button>
          ))}
        </fieldset>
      </section>

      <nav className="crumbs" aria-label={t('breadcrumbs')}>
        <button type="button" onClick={() => setView({ area: undefined, level: 'kota' })}>
          {t('city')}
        </button>
        {crumbs.map((code, i) => (
          <span key={code}>
            {' › '}
            <button
              type="button"
              aria-current={i === crumbs.length - 1 ? 'page' : undefined}
              onClick={() => setView({ area: code })}
            >
              {crumbNames[i]}
            </button>
          </span>
        ))}
      </nav>

      <main className="map" data-testid="map">
        <MapView layers={layers} getTooltip={getTooltip} onClick={onMapClick} bounds={bounds} />
        <aside className="legend" aria-label={t('legend')}>
          <strong>{t(`metrics.${view.metric}`)}</strong>
          <ul>
            {bins.map((b) => (
              <li key={b.colour}>
                <span className="swatch" style={{ background: b.colour }} />
                {view.metric === 'coverage'
                  ? `${formatShare(b.from)}${b.to === Infinity ? '+' : ` – ${formatShare(b.to)}`}`
                  : `${formatNumber(b.from)} – ${formatNumber(b.to)}`}
              </li>
            ))}
            <li>
              <span className="swatch" style={{ background: 'rgb(190,190,190)' }} />
              {t('noAid')}
            </li>
          </ul>
        </aside>
        {(boundaries.isError || choropleth.isError) && <p className="error">{t('error')}</p>}
        <aside className="gaps" aria-label={t('gaps.title')}>
          <strong>{t('gaps.title')}</strong>
          <table>
            <thead>
              <tr>
                <th>{t(`levels.${level}`)}</th>
                <th>{t('gaps.need')}</th>
                <th>{t('gaps.coverage')}</th>
                <th>{t('gaps.gap')}</th>
              </tr>
            </thead>
            <tbody>
              {gaps.map((r) => (
                <tr key={r.code} data-testid="gap-row" data-code={r.code}>
                  <td>
                    {level === 'rw' ? (
                      r.name
                    ) : (
                      <button
                        type="button"
                        className="link"
                        // Rows of the previous view stay visible while the next loads; not clickable.
                        disabled={choropleth.isPlaceholderData}
                        onClick={() => drillInto(r.code)}
                      >
                        {r.name}
                      </button>
                    )}
                  </td>
                  <td>{formatNumber(r.need)}</td>
                  <td>{formatShare(r.coverage)}</td>
                  <td>{formatNumber(r.gap)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </aside>
      </main>
      <footer className="note">
        {t('dataNote')} © OpenStreetMap contributors (RW), Cahya DSN (MIT), Dukcapil DKI Jakarta.
      </footer>
    </div>
  );
}

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="kpi">
      <span className="kpi-value" data-testid={testId}>
        {value}
      </span>
      <span className="kpi-label">{label}</span>
    </div>
  );
}
