const integer = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 });

/** Numbers are always formatted the Indonesian way (561.118), whatever the UI language. */
export function formatNumber(n: number): string {
  return integer.format(n);
}

export function formatShare(n: number | null): string {
  return n === null ? '–' : percent.format(n);
}
