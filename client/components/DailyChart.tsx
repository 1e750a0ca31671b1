import { scaleBand, scaleLinear } from 'd3-scale';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimePoint } from '../api';
import { AID_COLOURS, dateTicks, stackSeries } from '../chart';
import { formatDate, formatNumber } from '../format';
import type { AidKey, DateExtent } from '../url-state';

const MARGIN = { top: 6, right: 6, bottom: 18, left: 44 };

function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(160, Math.floor(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * Packages per day stacked by aid type; the selected range is shaded and its last day marked.
 * With `onSelectDate`, each day is a focusable target that moves the time slider there.
 */
export function DailyChart({
  series,
  aidTypes,
  labels,
  title,
  range,
  height = 140,
  onSelectDate,
}: {
  series: readonly TimePoint[];
  aidTypes: readonly AidKey[];
  labels: Record<AidKey, string>;
  title: string;
  range?: DateExtent;
  height?: number;
  onSelectDate?: (date: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const [ref, width] = useWidth(320);
  const bars = useMemo(() => stackSeries(series, aidTypes), [series, aidTypes]);
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const x = scaleBand<string>()
    .domain(bars.map((b) => b.date))
    .range([0, innerW])
    .paddingInner(0.15);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...bars.map((b) => b.total))])
    .nice(3)
    .range([innerH, 0]);
  const total = bars.reduce((sum, b) => sum + b.total, 0);
  const inRange = (d: string) => !range || (d >= range.from && d <= range.to);
  const first = bars[0]?.date;
  const last = bars.at(-1)?.date;

  return (
    <figure className="chart" ref={ref} data-testid="daily-chart">
      <figcaption>{title}</figcaption>
      <ul className="chart-legend">
        {aidTypes.map((a) => (
          <li key={a}>
            <span className="swatch" style={{ background: AID_COLOURS[a] }} />
            {labels[a]}
          </li>
        ))}
      </ul>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={
          first && last
            ? `${title}: ${formatNumber(total)} ${t('metrics.packages').toLowerCase()}, ${formatDate(first, lang)} – ${formatDate(last, lang)}`
            : title
        }
      >
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          {y.ticks(3).map((v) => (
            <g key={v} transform={`translate(0,${y(v)})`}>
              <line x2={innerW} className="grid" />
              <text x={-4} dy="0.32em" textAnchor="end">
                {formatNumber(v)}
              </text>
            </g>
          ))}
          {bars.map((b) => (
            <g key={b.date} opacity={inRange(b.date) ? 1 : 0.3}>
              {b.segments.map((s) => (
                <rect
                  key={s.aid}
                  x={x(b.date)}
                  width={x.bandwidth()}
                  y={y(s.y1)}
                  height={Math.max(0, y(s.y0) - y(s.y1))}
                  fill={AID_COLOURS[s.aid]}
                />
              ))}
            </g>
          ))}
          {range && x(range.to) !== undefined && (
            <line
              className="current"
              x1={x(range.to)! + x.bandwidth() / 2}
              x2={x(range.to)! + x.bandwidth() / 2}
              y2={innerH}
            />
          )}
          {dateTicks(
            bars.map((b) => b.date),
            Math.max(2, Math.floor(innerW / 60)),
          ).map((d) => (
            <text key={d} x={x(d)! + x.bandwidth() / 2} y={innerH + 13} textAnchor="middle">
              {formatDate(d, lang)}
            </text>
          ))}
          {onSelectDate &&
            bars.map((b) => (
              <rect
                key={b.date}
                className="hit"
                x={x(b.date)}
                width={x.step()}
                height={innerH}
                tabIndex={0}
                role="button"
                aria-label={`${formatDate(b.date, lang)}: ${formatNumber(b.total)}`}
                onClick={() => onSelectDate(b.date)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onSelectDate(b.date);
                  }
                }}
              >
                <title>{`${formatDate(b.date, lang)}: ${formatNumber(b.total)}`}</title>
              </rect>
            ))}
        </g>
      </svg>
    </figure>
  );
}
