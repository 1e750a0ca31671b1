import { ApiError } from '../errors';
import { FIELDS, LIMITS } from './fields';
import { rowMessage, type Language } from './messages';
import type { RowError } from './validate';

/** The problems of a rejected batch: the first ones in row order, and how many there are. */
export interface ProblemSummary {
  listed: RowError[];
  total: number;
  /** Rows with at least one problem. */
  rows: number;
}

const COLUMN_ORDER = new Map<string, number>(FIELDS.map((f, i) => [f.name, i]));

/** Sorts problems by row, then column in template order (stable otherwise), and caps the list. */
export function summariseProblems(errors: readonly RowError[]): ProblemSummary {
  const sorted = [...errors].sort(
    (a, b) =>
      a.row - b.row ||
      (COLUMN_ORDER.get(a.column ?? '') ?? 99) - (COLUMN_ORDER.get(b.column ?? '') ?? 99),
  );
  return {
    listed: sorted.slice(0, LIMITS.maxListedErrors),
    total: errors.length,
    rows: new Set(errors.map((e) => e.row)).size,
  };
}

/** 422 with every bad row (row, column, code, message in the caller's language), capped. */
export function rowsRejected(summary: ProblemSummary, lang: Language): ApiError {
  const listed = summary.listed.map((e) => ({
    row: e.row,
    column: e.column,
    code: e.code,
    message: rowMessage(e.code, lang, e.params),
  }));
  const message =
    lang === 'en'
      ? `${summary.rows.toLocaleString('en')} row(s) have problems; nothing was stored.`
      : `${summary.rows.toLocaleString('id-ID')} baris bermasalah; tidak ada yang disimpan.`;
  return new ApiError(422, 'invalid_rows', message, {
    rows: listed,
    total: summary.total,
    listed: listed.length,
  });
}
