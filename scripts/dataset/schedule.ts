import type { AidType } from '../../api/domain';

export const DAY_MS = 86_400_000;

export function toDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = toDay(from); d <= toDay(to); d++) out.push(fromDay(d));
  return out;
}

/**
 * Relative daily volume per aid type, shaped like the 2020 programme: a ramp-up in the first week
 * of Ramadan (which began 24 April), iftar meals through Ramadan, Eid packages and THR in the ten
 * days before Lebaran (24 May), and a pause over the two days of Lebaran itself.
 */
export function dailyWeight(type: AidType, date: string, lebaran: string, start: string): number {
  const d = toDay(date);
  const sinceStart = d - toDay(start);
  const toLebaran = toDay(lebaran) - d;
  if (sinceStart < 0) return 0;
  const ramp = Math.min(1, 0.3 + sinceStart / 10);
  const weekly = new Date(d * DAY_MS).getUTCDay() === 5 ? 1.15 : 1; // Friday distributions after prayers
  const lebaranPause = toLebaran === 0 || toLebaran === -1 ? 0.1 : 1;
  switch (type) {
    case 'sembako':
      return ramp * weekly * lebaranPause * (toLebaran >= 3 && toLebaran <= 14 ? 1.3 : 1);
    case 'siap_saji':
      return ramp * lebaranPause * (toLebaran > 0 ? 1 : 0.35);
    case 'lebaran':
      return toLebaran >= 1 && toLebaran <= 10 ? 11 - toLebaran : 0;
    case 'thr':
      return toLebaran >= 2 && toLebaran <= 9 ? 1 : 0;
  }
}
