import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { bbox } from '@turf/turf';
import type { PickingInfo } from '@deck.gl/core';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapRef } from 'react-map-gl/maplibre';
import {
  boundariesOptions,
  choroplethOptions,
  exportUrl,
  gapsOptions,
  institutionsOptions,
  metaOptions,
  summaryOptions,
  timeseriesOptions,
  type Boundaries,
  type ChoroplethRow,
  type QueryFilters,
} from './api';
import { bivariateClasses, legendBins, metricValue } from './colour';
import { formatNumber, formatRate, formatShare } from './format';
import { rememberLanguage, type Language } from './i18n';
import { choroplethLayers, institutionLayer, selectionOf, type InstitutionFeature } from './layers';
import { AreaPanel } from './components/AreaPanel';
import { ActiveFilters, Filters } from './components/Filters';
import { GapsTable } from './components/GapsTable';
import { Legend } from './components/Legend';
import { JAKARTA_BOUNDS, MapView } from './components/MapView';
import { TimeControl } from './components/TimeControl';
import { DailyChart } from './components/DailyChart';
import { useViewState } from './use-view-state';
import {
  AID_TYPE_OPTIONS,
  ancestry,
  childLevel,
  effectiveRange,
  levelOfArea,
  type Viewport,
} from './url-state';

const DataMethodsPage = lazy(() =>
  import('./components/DataMethodsPage').then((m) => ({ default: m.DataMethodsPage })),
);

const GAP_ROWS = 25;
const PHONE = '(max-width: 640px)';
type Bounds = [number, number, number, number];

function usePhone(): boolean {
  const [phone, setPhone] = useState(() => window.matchMedia(PHONE).matches);
  useEffect(() => {
    const query = window.matchMedia(PHONE);
    const onChange = () => setPhone(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return phone;
}

export function App() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useViewState();
  const lang = (view.lang ?? i18n.language) as Language;
  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [i18n, lang]);
  const switchLanguage = (next: Language) => {
    rememberLanguage(next);
    setView({ lang: next });
  };

  const header = (
    <header className="bar">
      <div>
        <h1>{t('title')}</h1>
        <p className="subtitle">{t('subtitle')}</p>
      </div>
      <nav className="bar-links">
        <a
          href={`?page=${view.page === 'methods' ? 'map' : 'methods'}`}
          onClick={(e) => {
            e.preventDefault();
            setView({ page: view.page === 'methods' ? 'map' : 'methods' });
          }}
        >
          {view.page === 'methods' ? t('backToMap') : t('methods')}
        </a>
        <label className="lang">
          <span className="sr-only">{t('language')}</span>
          <select
            data-testid="language"
            value={lang}
            onChange={(e) => switchLanguage(e.target.value as Language)}
          >
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </select>
        </label>
      </nav>
    </header>
  );

  return (
    <div className={view.page === 'methods' ? 'app methods' : 'app'}>
      {header}
      {view.page === 'methods' ? (
        <Suspense fallback={<p className="muted">{t('loading')}</p>}>
          <main className="methods-main">
            <DataMethodsPage lang={lang} onClose={() => setView({ page: 'map' })} />
          </main>
        </Suspense>
      ) : (
        <Dashboard view={view} setView={setView} lang={lang} />
      )}
    </div>
  );
}

function Dashboard({
  view,
  setView,
  lang,
}: {
  view: ReturnType<typeof useViewState>[0];
  setView: ReturnType<typeof useViewState>[1];
  lang: Language;
}) {
  const { t } = useTranslation();
  const phone = usePhone();
  const [filtersOpen, setFiltersOpen] = useState(!phone);
  const [sheetOpen, setSheetOpen] = useState(false);
  const mapRef = useRef<MapRef>(null);
  const mainRef = useRef<HTMLElement>(null);

  const meta = useQuery(metaOptions());
  const extent = meta.data?.date_extent;
  const range = useMemo(() => (extent ? effectiveRange(view, extent) : null), [view, extent]);
  // Filters only once the server's lists are known: unknown slugs from a link are dropped.
  const filters = useMemo((): QueryFilters | null => {
    if (!meta.data || !range) return null;
    const aggregators = new Set(meta.data.aggregators.map((a) => a.slug));
    const recipients = new Set<string>(meta.data.recipient_types.map((r) => r.slug));
    return {
      ...range,
      aid: view.aid,
      aggregator: view.aggregator.filter((a) => aggregators.has(a as never)),
      recipient: view.recipient.filter((r) => recipients.has(r)),
    };
  }, [meta.data, range, view.aid, view.aggregator, view.recipient]);
  const f = filters ?? { from: '', to: '', aid: [], aggregator: [], recipient: [] };

  const level = view.area ? childLevel(levelOfArea(view.area)) : view.level;
  const boundaries = useQuery(boundariesOptions(level));
  const choropleth = useQuery({
    ...choroplethOptions(level, f, view.area),
    enabled: filters !== null,
    placeholderData: keepPreviousData,
  });
  const summary = useQuery({
    ...summaryOptions(f, view.area),
    enabled: filters !== null,
    placeholderData: keepPreviousData,
  });
  const series = useQuery({
    ...timeseriesOptions(f, view.area),
    enabled: filters !== null,
    placeholderData: keepPreviousData,
  });
  const institutions = useQuery({
    ...institutionsOptions(f, view.institutions, view.area),
    enabled: filters !== null && view.institutions.length > 0,
    placeholderData: keepPreviousData,
  });

  const crumbs = ancestry(view.area);
  const crumbBoundaries = useQueries({
    queries: crumbs.map((code) => boundariesOptions(levelOfArea(code))),
  });
  const crumbFeature = (code: string, i: number) =>
    crumbBoundaries[i]?.data?.features.find((x) => x.properties.code === code);

  // Only the regions inside the area; the filtered collection stays the same object while the
  // data does, so deck.gl does not re-tessellate on filter changes.
  const shown = useMemo((): Boundaries | undefined => {
    if (!boundaries.data || !view.area) return boundaries.data;
    const prefix = `${view.area}.`;
    return {
      ...boundaries.data,
      features: boundaries.data.features.filter((x) => x.properties.code.startsWith(prefix)),
    };
  }, [boundaries.data, view.area]);

  const rows = useMemo(
    () => new Map((choropleth.data?.rows ?? []).map((r) => [r.code, r] as [string, ChoroplethRow])),
    [choropleth.data],
  );
  const uncovered = useMemo(
    () => [...rows.values()].filter((r) => r.status === 'uncovered').map((r) => r.code),
    [rows],
  );
  const singleMetric = view.metric === 'bivariate' ? 'coverage' : view.metric;
  const bins = useMemo(
    () =>
      legendBins(
        singleMetric,
        [...rows.values()].map((r) => metricValue(r, singleMetric) ?? 0),
      ),
    [rows, singleMetric],
  );
  const bivariate = useMemo(
    () => bivariateClasses([...rows.values()].filter((r) => r.need > 0).map((r) => r.need)),
    [rows],
  );
  // Counts the choropleth answers seen: a placeholder keeps the count, so a filter change redraws
  // the map once, when its answer arrives.
  const answers = useRef({ data: choropleth.data, count: 0 });
  if (answers.current.data !== choropleth.data)
    answers.current = { data: choropleth.data, count: answers.current.count + 1 };
  const dataKey = `${level}|${view.area ?? ''}|${answers.current.count}`;
  const outlinesInDeck = Boolean(meta.data?.map_style_url);
  // The same object while the selection is: a new one would make deck.gl draw again.
  const selection = useMemo(
    () => (shown ? selectionOf(shown, view.selected) : undefined),
    [shown, view.selected],
  );
  const layers = useMemo(() => {
    if (!shown || !selection) return [];
    const list = choroplethLayers(
      shown,
      rows,
      { metric: view.metric, bins, bivariate, dataKey, outlines: outlinesInDeck },
      selection,
    );
    return institutions.data && view.institutions.length
      ? [...list, institutionLayer(institutions.data)]
      : list;
  }, [
    shown,
    rows,
    view.metric,
    bins,
    bivariate,
    dataKey,
    outlinesInDeck,
    selection,
    institutions.data,
    view.institutions.length,
  ]);

  // Marks the map once a frame with the current data is drawn (read by tests and bench:ui).
  const paintKey =
    shown && choropleth.data && !choropleth.isPlaceholderData ? `${dataKey}|${view.metric}` : null;
  const onAfterRender = useCallback(() => {
    const el = mainRef.current;
    if (el && paintKey && el.dataset.painted !== paintKey) el.dataset.painted = paintKey;
  }, [paintKey]);

  const fitTo = useCallback((feature: Parameters<typeof bbox>[0] | undefined, duration = 600) => {
    if (!feature) return;
    mapRef.current?.fitBounds(bbox(feature) as Bounds, { padding: 40, duration, maxZoom: 16 });
  }, []);
  // A link without a viewport opens fitted to its area (or to Jakarta) once the page has its
  // final layout, that is when the first coloured frame is drawn.
  const fitPending = useRef(!view.viewport);
  useEffect(() => {
    if (!fitPending.current || !paintKey || !mapRef.current) return;
    fitPending.current = false;
    mapRef.current.resize(); // MapLibre may not have seen the final size of its container yet
    if (view.area && shown?.features.length) fitTo(shown, 0);
    else mapRef.current.fitBounds(JAKARTA_BOUNDS, { padding: 20, duration: 0 });
  }, [paintKey, shown, view.area, fitTo]);

  const featureOf = useCallback(
    (code: string) => shown?.features.find((x) => x.properties.code === code),
    [shown],
  );
  const openArea = useCallback(
    (code: string) => {
      if (level === 'rw') return;
      const feature = featureOf(code);
      setView({ area: code, selected: code });
      fitTo(feature);
    },
    [level, featureOf, setView, fitTo],
  );
  const selectArea = useCallback(
    (code: string, fly: boolean) => {
      setView({ selected: code });
      setSheetOpen(true);
      if (fly) fitTo(featureOf(code));
    },
    [setView, fitTo, featureOf],
  );
  const onMapClick = useCallback(
    (info: PickingInfo) => {
      if (info.layer?.id !== 'choropleth') return;
      const code = (info.object as { properties?: { code: string } } | null)?.properties?.code;
      if (!code) return;
      // First click selects; a click on the selected area opens it.
      if (code === view.selected && level !== 'rw') openArea(code);
      else selectArea(code, false);
    },
    [view.selected, level, openArea, selectArea],
  );
  const onViewportChange = useCallback(
    (viewport: Viewport) => setView({ viewport }, { replace: true }),
    [setView],
  );

  const gaps = useQuery({
    ...gapsOptions(level, f, GAP_ROWS, view.area),
    enabled: filters !== null,
    placeholderData: keepPreviousData,
  });
  const gapRows = useMemo(() => {
    const top: (ChoroplethRow & { context?: string | null })[] = (gaps.data?.rows ?? []).map(
      (r) => ({ ...r, context: level === 'rw' && !view.area ? r.kelurahan_name : null }),
    );
    // The selected area stays in the table even when it is not among the most underserved.
    const selected = view.selected ? rows.get(view.selected) : undefined;
    return selected && !top.some((r) => r.code === selected.code) ? [...top, selected] : top;
  }, [gaps.data, rows, view.selected, level, view.area]);

  const getTooltip = useCallback(
    (info: PickingInfo) => {
      if (info.layer?.id === 'institutions') {
        const p = (info.object as InstitutionFeature | null)?.properties;
        return p
          ? `${p.name}\n${t(`institutions.${p.type}`)}\n${t('metrics.packages')}: ${formatNumber(p.packages)}`
          : null;
      }
      const code = (info.object as { properties?: { code: string } } | null)?.properties?.code;
      const row = code ? rows.get(code) : undefined;
      if (!row) return null;
      const lines = [
        `${row.name} (${row.code})`,
        `${t('metrics.need')}: ${formatNumber(row.need)}`,
        `${t('metrics.households_reached')}: ${formatNumber(row.households_reached)}`,
        `${t('metrics.coverage')}: ${formatShare(row.coverage)}`,
        `${t('metrics.packages')}: ${formatNumber(row.packages)}`,
      ];
      if (view.metric === 'packages_per_100_need')
        lines.push(
          `${t('metrics.packages_per_100_need')}: ${formatRate(row.packages_per_100_need)}`,
        );
      if (view.metric === 'covid_per_10k')
        lines.push(`${t('metrics.covid_per_10k')}: ${formatRate(row.covid_per_10k)}`);
      lines.push(level !== 'rw' && code === view.selected ? t('area.clickAgain') : '');
      return lines.join('\n').trim();
    },
    [rows, t, view.metric, view.selected, level],
  );

  const aidLabels = Object.fromEntries(
    AID_TYPE_OPTIONS.map((a) => [
      a,
      meta.data?.aid_types.find((x) => x.slug === a)?.name[lang] ?? a,
    ]),
  ) as Record<(typeof AID_TYPE_OPTIONS)[number], string>;
  const shownTypes = view.aid.length
    ? AID_TYPE_OPTIONS.filter((a) => view.aid.includes(a))
    : AID_TYPE_OPTIONS;
  const s = summary.data;
  const props = {
    view,
    level,
    meta: meta.data,
    lang,
    range: range ?? { from: '', to: '' },
    setView,
  };

  return (
    <>
      <div className="top">
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

        <details
          className="filters"
          open={filtersOpen}
          onToggle={(e) => setFiltersOpen((e.target as HTMLDetailsElement).open)}
        >
          <summary>{t('filters')}</summary>
          <Filters {...props} />
          {extent && range && (
            <TimeControl view={view} extent={extent} range={range} setView={setView} />
          )}
        </details>
        <ActiveFilters {...props} />

        <div className="toolbar">
          <nav className="crumbs" aria-label={t('breadcrumbs')}>
            <button
              type="button"
              onClick={() => {
                setView({ area: undefined, selected: undefined });
                mapRef.current?.fitBounds(JAKARTA_BOUNDS, { padding: 20, duration: 600 });
              }}
            >
              {t('city')}
            </button>
            {crumbs.map((code, i) => (
              <span key={code}>
                {' › '}
                <button
                  type="button"
                  aria-current={i === crumbs.length - 1 ? 'page' : undefined}
                  onClick={() => {
                    setView({ area: code, selected: code });
                    fitTo(crumbFeature(code, i));
                  }}
                >
                  {crumbFeature(code, i)?.properties.name ?? code}
                </button>
              </span>
            ))}
          </nav>
          {filters && (
            <span className="exports" aria-label={t('export.title')}>
              {t('export.title')}:{' '}
              <a
                href={exportUrl('csv', level, filters, view.area)}
                download
                data-testid="export-csv"
              >
                {t('export.csv')}
              </a>{' '}
              ·{' '}
              <a
                href={exportUrl('geojson', level, filters, view.area)}
                download
                data-testid="export-geojson"
              >
                {t('export.geojson')}
              </a>
            </span>
          )}
        </div>
      </div>

      <div className="workspace">
        <main
          className="map"
          data-testid="map"
          ref={mainRef}
          aria-label={t(`metrics.${view.metric}`)}
        >
          <MapView
            mapRef={mapRef}
            regions={shown}
            uncovered={uncovered}
            layers={layers}
            describe={getTooltip}
            onClick={onMapClick}
            viewport={view.viewport}
            onViewportChange={onViewportChange}
            onAfterRender={onAfterRender}
            styleUrl={meta.data?.map_style_url ?? null}
          />
          <Legend
            metric={view.metric}
            bins={bins}
            bivariate={bivariate}
            institutions={view.institutions}
            onToggleInstitution={(type) =>
              setView({
                institutions: view.institutions.includes(type)
                  ? view.institutions.filter((x) => x !== type)
                  : [...view.institutions, type],
              })
            }
          />
          {(boundaries.isError || choropleth.isError || meta.isError) && (
            <p className="error" role="alert">
              {t('error')}
            </p>
          )}
        </main>
        <aside className={sheetOpen ? 'sidebar open' : 'sidebar'} aria-label={t('panel')}>
          <button
            type="button"
            className="sheet-toggle"
            aria-expanded={sheetOpen}
            onClick={() => setSheetOpen((o) => !o)}
          >
            {sheetOpen ? t('hidePanel') : t('showPanel')}
          </button>
          {view.selected && filters && meta.data && range && (
            <AreaPanel
              code={view.selected}
              filters={filters}
              meta={meta.data}
              lang={lang}
              range={range}
              canOpen={view.selected !== view.area && levelOfArea(view.selected) !== 'rw'}
              onOpen={() => openArea(view.selected!)}
              onClose={() => setView({ selected: undefined })}
            />
          )}
          <GapsTable
            rows={gapRows}
            total={gaps.data?.total}
            level={level}
            selected={view.selected}
            disabled={gaps.isPlaceholderData}
            onSelect={(code) => selectArea(code, true)}
            onOpen={openArea}
          />
          {series.data && range && (
            <DailyChart
              series={series.data.series}
              aidTypes={shownTypes}
              labels={aidLabels}
              title={t('chart.title')}
              range={range}
              onSelectDate={(date) => setView({ to: date })}
            />
          )}
        </aside>
      </div>
      <footer className="note">
        {t('dataNote')} © OpenStreetMap contributors (RW), Cahya DSN (MIT), Dukcapil DKI Jakarta.
      </footer>
    </>
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
