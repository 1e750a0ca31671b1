import type { Language } from './i18n';

/** Locales of the write-side pages: numbers and times follow the UI language. */
const LOCALES: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };

const integers = {
  id: new Intl.NumberFormat(LOCALES.id, { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat(LOCALES.en, { maximumFractionDigits: 0 }),
};
const oneDecimal = {
  id: new Intl.NumberFormat(LOCALES.id, { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat(LOCALES.en, { maximumFractionDigits: 1 }),
};
// Receipts are read in Jakarta: times in WIB whatever the browser's zone.
const dateTimes = {
  id: new Intl.DateTimeFormat(LOCALES.id, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }),
  en: new Intl.DateTimeFormat(LOCALES.en, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }),
};

/** A whole number in the language's style (1.234 in Indonesian, 1,234 in English). */
export function formatCount(n: number, lang: Language): string {
  return integers[lang].format(n);
}

/** A file size in kB or MB (1 MB = 1,000,000 bytes, as file managers show it). */
export function formatBytes(bytes: number, lang: Language): string {
  if (bytes < 1000) return `${integers[lang].format(bytes)} B`;
  if (bytes < 1_000_000) return `${oneDecimal[lang].format(bytes / 1000)} kB`;
  return `${oneDecimal[lang].format(bytes / 1_000_000)} MB`;
}

/** An ISO timestamp as a date and time in Jakarta (WIB), followed by "WIB". */
export function formatDateTime(iso: string, lang: Language): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateTimes[lang].format(d)} WIB`;
}

/** A whole percentage for a progress bar. */
export function formatPercent(fraction: number, lang: Language): string {
  return `${integers[lang].format(Math.round(fraction * 100))}%`;
}

const dayOptions: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
// Calendar days (YYYY-MM-DD) are read as they are; upload times as the day in Jakarta.
const calendarDays = {
  id: new Intl.DateTimeFormat(LOCALES.id, { ...dayOptions, timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { ...dayOptions, timeZone: 'UTC' }),
};
const jakartaDays = {
  id: new Intl.DateTimeFormat(LOCALES.id, { ...dayOptions, timeZone: 'Asia/Jakarta' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { ...dayOptions, timeZone: 'Asia/Jakarta' }),
};

/** A number with at most one decimal (36,5 in Indonesian, 36.5 in English). */
export function formatDecimal(n: number, lang: Language): string {
  return oneDecimal[lang].format(n);
}

/** A day in full (27 Mei 2020): a calendar day as it is, a timestamp as its day in Jakarta. */
export function formatDay(iso: string, lang: Language): string {
  const calendar = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = new Date(calendar ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (calendar ? calendarDays : jakartaDays)[lang].format(d);
}
