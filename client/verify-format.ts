import type { Language } from './i18n';

// A record's date is a calendar day, not an instant: formatted in UTC so no zone shifts it.
const DAYS: Record<Language, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }),
};

/** A YYYY-MM-DD day in the language's style ("1 Mei 2020", "1 May 2020"); anything else as is. */
export function formatDay(iso: string, lang: Language): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}/.test(iso) && !Number.isNaN(d.getTime()) ? DAYS[lang].format(d) : iso;
}

// Upload times are read in Jakarta, as on the upload page.
const RECEIVED: Record<Language, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Jakarta',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Jakarta',
  }),
};

/** When an upload arrived, short enough for a table column: day, month and time (WIB). */
export function formatReceived(iso: string, lang: Language): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : RECEIVED[lang].format(d);
}

/** A coordinate pair to five decimals (about a metre), in the language's number style. */
export function formatLonLat(lon: number, lat: number, lang: Language): string {
  const f = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    minimumFractionDigits: 5,
    maximumFractionDigits: 5,
  });
  return `${f.format(lat)}; ${f.format(lon)}`;
}
