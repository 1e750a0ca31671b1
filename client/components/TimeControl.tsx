import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format';
import type { UpdateView } from '../use-view-state';
import { addDays, PLAY_MODES, WINDOW_DAYS, type DateExtent, type ViewState } from '../url-state';

const STEP_MS = 900;

function dayIndex(extent: DateExtent, date: string): number {
  return Math.round((Date.parse(date) - Date.parse(extent.from)) / 86_400_000);
}

/** Date range inputs and a day slider that can play the period day by day. */
export function TimeControl({
  view,
  extent,
  range,
  setView,
}: {
  view: ViewState;
  extent: DateExtent;
  range: DateExtent;
  setView: UpdateView;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const [playing, setPlaying] = useState(false);
  const days = dayIndex(extent, extent.to);
  const first =
    view.play === 'window' ? Math.min(WINDOW_DAYS - 1, days) : dayIndex(extent, range.from);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      if (range.to >= extent.to) {
        setPlaying(false);
        return;
      }
      // Each day replaces the current history entry: back leaves the playback, not each day.
      setView({ to: addDays(range.to, 1) }, { replace: true });
    }, STEP_MS);
    return () => clearInterval(timer);
  }, [playing, range.to, extent.to, setView]);

  const play = () => {
    if (playing) return setPlaying(false);
    // At the end, start again from the first day of the range.
    if (range.to >= extent.to) setView({ to: addDays(extent.from, first) });
    setPlaying(true);
  };

  return (
    <fieldset className="time" data-testid="time-control">
      <legend className="sr-only">{t('time.title')}</legend>
      <label>
        {t('time.from')}
        <input
          type="date"
          value={range.from}
          min={extent.from}
          max={range.to}
          disabled={view.play === 'window'}
          onChange={(e) => e.target.value && setView({ from: e.target.value })}
        />
      </label>
      <label>
        {t('time.to')}
        <input
          type="date"
          value={range.to}
          min={range.from}
          max={extent.to}
          onChange={(e) => e.target.value && setView({ to: e.target.value })}
        />
      </label>
      <label className="slider">
        <span>
          {t('time.day')}: <output>{formatDate(range.to, lang)}</output>
        </span>
        <input
          type="range"
          data-testid="day-slider"
          min={first}
          max={days}
          step={1}
          value={dayIndex(extent, range.to)}
          aria-valuetext={formatDate(range.to, lang)}
          onChange={(e) =>
            setView({ to: addDays(extent.from, Number(e.target.value)) }, { replace: true })
          }
        />
      </label>
      <button
        type="button"
        className="play"
        data-testid="play"
        aria-pressed={playing}
        aria-label={playing ? t('time.pause') : t('time.play')}
        title={playing ? t('time.pause') : t('time.play')}
        onClick={play}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <label>
        {t('time.mode')}
        <select
          value={view.play}
          onChange={(e) => setView({ play: e.target.value as ViewState['play'] })}
        >
          {PLAY_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`time.${m}`)}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
