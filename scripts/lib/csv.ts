import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type CsvRow = Record<string, string>;

export function readCsv(file: string): CsvRow[] {
  return parse(readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as CsvRow[];
}

export function writeCsv(file: string, columns: readonly string[], rows: readonly object[]): void {
  writeFileSync(
    file,
    stringify(rows as Record<string, unknown>[], {
      header: true,
      columns: [...columns],
      cast: { boolean: (v) => (v ? 'true' : 'false') },
    }),
  );
}

/** Parses a numeric CSV cell; empty means 0 in the Dukcapil tables. */
export function num(row: CsvRow, column: string): number {
  const raw = row[column];
  if (raw === undefined) throw new Error(`missing column ${column}`);
  if (raw === '') return 0;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`column ${column}: not a number: ${raw}`);
  return value;
}
