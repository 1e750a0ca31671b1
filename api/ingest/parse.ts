import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { ApiError } from '../errors';
import { FIELD_NAMES, LIMITS, type FieldName } from './fields';
import type { RowError } from './validate';

/** One uploaded row as text, with its number as the user counts it. */
export interface RawRow {
  /** CSV: the spreadsheet row (the header is row 1). JSON: the item's position, from 1. */
  row: number;
  values: Partial<Record<FieldName, string>>;
  /** Values that were neither text nor a number (JSON only). */
  badTypes?: FieldName[];
  /** The JSON item was not an object. */
  notObject?: boolean;
}

export interface ParsedBody {
  rows: RawRow[];
  /** Problems with the columns themselves (reported on row 1). */
  headerErrors: RowError[];
  /** SHA-256 of the body as received: the request's fingerprint for idempotency keys. */
  sha256: string;
}

export type BodyFormat = 'csv' | 'json';

const FIELD_SET = new Set<string>(FIELD_NAMES);

export function tooLarge(): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `A batch is at most ${LIMITS.maxBytes / 1024 / 1024} MB and ${LIMITS.maxRows.toLocaleString('en')} rows; split the file.`,
    { max_bytes: LIMITS.maxBytes, max_rows: LIMITS.maxRows },
  );
}

/** Counts and hashes the body as it streams, and stops it past the byte limit. */
function metered(body: ReadableStream<Uint8Array>, hash: ReturnType<typeof createHash>): Readable {
  let bytes = 0;
  const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  return Readable.from(
    (async function* () {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > LIMITS.maxBytes) throw tooLarge();
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
}

function clean(value: unknown): string | undefined | null {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  return s === '' ? undefined : s;
}

function headerProblems(columns: string[]): RowError[] {
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of columns) {
    if (!FIELD_SET.has(name)) errors.push({ row: 1, column: name, code: 'unknown_column' });
    else if (seen.has(name)) errors.push({ row: 1, column: name, code: 'duplicate_column' });
    seen.add(name);
  }
  for (const name of ['external_id', 'date', 'aid_type', 'quantity', 'recipient_type'] as const) {
    if (!seen.has(name)) errors.push({ row: 1, column: name, code: 'missing_column' });
  }
  if (!seen.has('rw_code') && !(seen.has('lon') && seen.has('lat'))) {
    errors.push({ row: 1, column: 'rw_code', code: 'missing_column' });
  }
  return errors;
}

/**
 * The field separator, from the header line: a semicolon when the header has one and no comma
 * (spreadsheets set to Indonesian write `;` and decimal commas), else a comma. One separator per
 * file, so a decimal comma inside a `;` file stays inside its field.
 */
export function separatorOf(headerLine: string): ',' | ';' {
  return headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
}

/** Reads chunks until the first line is complete; returns them and the rest of the stream. */
async function firstLine(
  source: Readable,
): Promise<{ head: Buffer[]; line: string; rest: AsyncIterator<Buffer> }> {
  const rest = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let text = '';
  while (!/[\r\n]/.test(text)) {
    const next = await rest.next();
    if (next.done) break;
    head.push(next.value);
    text += next.value.toString('utf8');
    if (text.length > 64 * 1024) break;
  }
  return { head, line: text.split(/\r?\n/)[0] ?? '', rest };
}

/**
 * Streams a CSV body through csv-parse: comma or semicolon separated, optional BOM, quoted fields.
 * Rows are numbered as a spreadsheet shows them (blank lines count; a quoted cell spanning lines
 * is one row). Stops past the row or byte limit with 413. A file csv-parse cannot read is one row
 * error at the line where reading stopped.
 */
async function parseCsv(body: ReadableStream<Uint8Array>, hash: ReturnType<typeof createHash>) {
  const rows: RawRow[] = [];
  let columns: string[] | null = null;
  let headerErrors: RowError[] = [];
  let index = 0;
  const { head, line, rest } = await firstLine(metered(body, hash));
  try {
    // pipeline (not pipe): a body stopped at the byte limit fails the parse with it.
    await pipeline(
      Readable.from(
        (async function* () {
          yield* head;
          for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
        })(),
      ),
      parse({ bom: true, delimiter: separatorOf(line), relax_column_count: true }),
      async function (records: AsyncIterable<string[]>) {
        for await (const record of records) {
          index++;
          if (record.every((field) => field.trim() === '')) continue;
          if (!columns) {
            columns = record.map((c) => c.trim().toLowerCase());
            headerErrors = headerProblems(columns);
            continue;
          }
          if (rows.length >= LIMITS.maxRows) throw tooLarge();
          const values: RawRow['values'] = {};
          for (let i = 0; i < columns.length; i++) {
            const name = columns[i]!;
            if (!FIELD_SET.has(name)) continue;
            const v = clean(record[i]);
            if (typeof v === 'string') values[name as FieldName] = v;
          }
          rows.push({ row: index, values });
        }
      },
    );
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // csv-parse's code names the problem (an unclosed quote, say); its message may quote a
    // field, which could hold a KK number, so only the code and the line go back.
    const { lines, code } = err as { lines?: number; code?: string };
    return {
      rows: [],
      headerErrors: [
        {
          row: lines ?? index + 1,
          column: null,
          code: 'invalid_csv' as const,
          params: { problem: code ?? 'CSV_PARSE_ERROR', line: lines ?? index + 1 },
        },
      ],
    };
  }
  if (!columns) headerErrors = headerProblems([]);
  return { rows, headerErrors };
}

async function parseJson(body: ReadableStream<Uint8Array>, hash: ReturnType<typeof createHash>) {
  const chunks: Buffer[] = [];
  for await (const chunk of metered(body, hash)) chunks.push(chunk as Buffer);
  let items: unknown;
  try {
    items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  if (!Array.isArray(items)) {
    throw new ApiError(400, 'invalid_json', 'The body must be a JSON array of records.');
  }
  if (items.length > LIMITS.maxRows) throw tooLarge();
  const headerErrors: RowError[] = [];
  /** Unknown keys, with the first item that has each. */
  const unknown = new Map<string, number>();
  const rows = items.map((item, i): RawRow => {
    const row = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { row, values: {}, notObject: true };
    }
    const values: RawRow['values'] = {};
    const badTypes: FieldName[] = [];
    for (const [key, raw] of Object.entries(item as Record<string, unknown>)) {
      if (!FIELD_SET.has(key)) {
        if (!unknown.has(key)) unknown.set(key, row);
        continue;
      }
      const v = clean(raw);
      if (v === null) badTypes.push(key as FieldName);
      else if (v !== undefined) values[key as FieldName] = v;
    }
    return badTypes.length ? { row, values, badTypes } : { row, values };
  });
  for (const [key, row] of unknown) headerErrors.push({ row, column: key, code: 'unknown_column' });
  return { rows, headerErrors };
}

/** Reads an upload body (CSV or JSON) into text rows, within the byte and row limits. */
export async function parseBody(
  body: ReadableStream<Uint8Array> | null,
  format: BodyFormat,
): Promise<ParsedBody> {
  if (!body) throw new ApiError(400, 'empty_body', 'The request has no body.');
  const hash = createHash('sha256');
  hash.update(`${format}\n`);
  const parsed = format === 'csv' ? await parseCsv(body, hash) : await parseJson(body, hash);
  return { ...parsed, sha256: hash.digest('hex') };
}
