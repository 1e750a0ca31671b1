import { POSSIBLE_DUPLICATE, type Principal, type RecordQuery, type RecordStatus } from './api';

/** Records on one page of the queue. */
export const PAGE_SIZE = 50;

/** The queue's filters as the form holds them ('' = any). */
export interface QueueFilters {
  /** One state, or '' for the caller's work queue. */
  status: RecordStatus | '';
  kelurahan: string;
  aggregator: string;
  from: string;
  to: string;
  duplicatesOnly: boolean;
}

export const NO_FILTERS: QueueFilters = {
  status: '',
  kelurahan: '',
  aggregator: '',
  from: '',
  to: '',
  duplicatesOnly: false,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The list request for the filters and a page; a range that ends before it starts is dropped. */
export function queueQuery(f: QueueFilters, offset: number, limit = PAGE_SIZE): RecordQuery {
  const from = ISO_DATE.test(f.from) ? f.from : undefined;
  const to = ISO_DATE.test(f.to) ? f.to : undefined;
  const inverted = from !== undefined && to !== undefined && from > to;
  return {
    status: f.status ? [f.status] : [],
    kelurahan: f.kelurahan || undefined,
    aggregator: f.aggregator || undefined,
    from: inverted ? undefined : from,
    to: inverted ? undefined : to,
    flag: f.duplicatesOnly ? POSSIBLE_DUPLICATE : undefined,
    offset: Math.max(0, Math.floor(offset)),
    limit,
  };
}

/** Whether any filter differs from the defaults. */
export function isFiltered(f: QueueFilters): boolean {
  return (Object.keys(NO_FILTERS) as (keyof QueueFilters)[]).some((k) => f[k] !== NO_FILTERS[k]);
}

/**
 * The page to show after the queue shrank (records moved on): the same offset while it still
 * holds rows, else the last page that does.
 */
export function clampOffset(offset: number, total: number, limit = PAGE_SIZE): number {
  if (total === 0) return 0;
  if (offset < total) return offset;
  return Math.floor((total - 1) / limit) * limit;
}

/**
 * The record to select after some were acted on: the first row after the last of them that was
 * not acted on, else the nearest one before; null when none is left on the page.
 */
export function nextSelection(
  rows: readonly { id: number }[],
  acted: readonly number[],
): number | null {
  const done = new Set(acted);
  const last = rows.reduce((at, r, i) => (done.has(r.id) ? i : at), -1);
  const after = rows.slice(last + 1).find((r) => !done.has(r.id));
  if (after) return after.id;
  const before = rows
    .slice(0, Math.max(last, 0))
    .reverse()
    .find((r) => !done.has(r.id));
  return before?.id ?? null;
}

export interface KelurahanChoice {
  code: string;
  name: string;
}

/**
 * The kelurahan the filter offers: a kelurahan verifier's own, anyone else every kelurahan;
 * named from the boundaries (the code until they have loaded), sorted by name.
 */
export function kelurahanChoices(
  principal: Principal,
  features: readonly { properties: { code: string; name: string } }[] | undefined,
): KelurahanChoice[] {
  const names = new Map((features ?? []).map((f) => [f.properties.code, f.properties.name]));
  const codes =
    principal.role === 'verifier_kelurahan' ? principal.kelurahan : [...names.keys()].sort();
  return codes
    .map((code) => ({ code, name: names.get(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, 'id') || a.code.localeCompare(b.code));
}

/** The checked rows that are still on the page shown (a refresh may have moved the others on). */
export function visibleChecked(
  checked: ReadonlySet<number>,
  rows: readonly { id: number }[],
): number[] {
  return rows.filter((r) => checked.has(r.id)).map((r) => r.id);
}
