import { parse } from 'csv-parse/browser/esm/sync';

/** Files above this size are refused before sending (the server's limit is the same). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const PREVIEW_ROWS = 5;

export type UploadKind = 'csv' | 'json';

export const CONTENT_TYPES = { csv: 'text/csv', json: 'application/json' } as const;

/** The format of a chosen file, by its extension (or its type when it has none). */
export function uploadKind(file: { name: string; type: string }): UploadKind | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.json')) return 'json';
  if (!name.includes('.')) {
    if (file.type === 'text/csv') return 'csv';
    if (file.type === 'application/json') return 'json';
  }
  return null;
}

export interface Preview {
  header: string[];
  /** The first rows, each with its number as a spreadsheet counts it (the header is row 1). */
  rows: { row: number; cells: string[] }[];
  /** Data rows in the whole file (the header not counted). */
  count: number;
}

/** The first rows and the row count of a CSV text (the header is the first record). */
export function previewCsv(text: string): Preview {
  const records = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const [header = [], ...data] = records;
  return {
    header,
    rows: data.slice(0, PREVIEW_ROWS).map((cells, i) => ({ row: i + 2, cells })),
    count: data.length,
  };
}

/** The first records of a JSON array, as a table whose columns are their keys. */
export function previewJson(text: string): Preview {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new Error('JSON: [ … ]');
  const first = value.slice(0, PREVIEW_ROWS) as unknown[];
  const header = [
    ...new Set(
      first.flatMap((r) => (r && typeof r === 'object' && !Array.isArray(r) ? Object.keys(r) : [])),
    ),
  ];
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return {
    header,
    rows: first.map((r, i) => ({
      row: i + 1,
      cells: header.map((h) => cell((r as Record<string, unknown> | null)?.[h])),
    })),
    count: value.length,
  };
}

/** A fresh Idempotency-Key (a random UUID), also where randomUUID needs a secure context. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A CSV text (RFC 4180 quoting) from rows of cells. */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves a CSV built in the browser; the byte-order mark lets spreadsheet programs read UTF-8. */
export function downloadCsv(
  filename: string,
  rows: readonly (readonly (string | number | null)[])[],
) {
  const blob = new Blob(['\uFEFF', toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
