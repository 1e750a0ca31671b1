const integer = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 });
const smallPercent = new Intl.NumberFormat('id-ID', {
  style: 'percent',
  maximumSignificantDigits: 2,
});
const dayMonth = {
  id: new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
};

/** Numbers are always formatted the Indonesian way (561.118), whatever the UI language. */
export function formatNumber(n: number): string {
  return integer.format(n);
}

/** Rates with one decimal where they are small (4,2 per 10.000); whole numbers when large. */
export function formatRate(n: number | null): string {
  if (n === null) return '–';
  return Math.abs(n) >= 100 ? integer.format(n) : decimal.format(n);
}

export function formatShare(n: number | null): string {
  return n === null ? '–' : percent.format(n);
}

/**
 * A share that may be small: below 1 % with two significant digits (0,11%), so that small shares
 * do not all read 0%; otherwise as formatShare.
 */
export function formatSmallShare(n: number | null): string {
  if (n === null) return '–';
  return n !== 0 && Math.abs(n) < 0.01 ? smallPercent.format(n) : percent.format(n);
}

/** An ISO date as a short day and month in the UI language (24 Apr, 1 Mei / 1 May). */
export function formatDate(iso: string, lang: 'id' | 'en' = 'id'): string {
  return dayMonth[lang].format(new Date(`${iso}T00:00:00Z`));
}
