import { createHash, type Hash } from 'node:crypto';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { ApiError } from '../errors';
import { FIELD_NAMES, LIMITS } from './fields';
import type { RowError } from './validate';

/**
 * One row's values by field position (FIELD_NAMES order), as trimmed text; undefined when empty
 * or absent. A reader reuses one array for every row.
 */
export type RowValues = (string | undefined)[];

/** Receives the data rows of a body one at a time, numbered as the user counts them. */
export interface RowSink {
  /** The problems of a CSV header, once it is read (before its rows). */
  header?(problems: readonly RowError[]): void;
  /**
   * CSV: `row` is the spreadsheet row (the header is row 1). JSON: the item's position, from 1.
   * `badTypes` are fields whose JSON value was neither text nor a number.
   */
  row(row: number, values: RowValues, badTypes: readonly number[] | null): void;
  /** A JSON item that was not an object. */
  notObject(row: number): void;
}

export interface ParsedBody {
  /** Data rows read (blank CSV lines not counted). */
  rows: number;
  /** Problems with the columns themselves (reported on row 1, or a JSON item's row). */
  headerErrors: RowError[];
  /** SHA-256 of the format and the body as received: the request's fingerprint for idempotency keys. */
  sha256: string;
  /**
   * csv-parse could not read the file: `headerErrors` holds that one problem, and rows the sink
   * received before it must be dropped.
   */
  unreadable: boolean;
}

export type BodyFormat = 'csv' | 'json';

const FIELD_INDEX = new Map<string, number>(FIELD_NAMES.map((name, i) => [name, i]));
const QUOTE = 0x22;

export function tooLarge(): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `A batch is at most ${LIMITS.maxBytes / 1024 / 1024} MB and ${LIMITS.maxRows.toLocaleString('en')} rows; split the file.`,
    { max_bytes: LIMITS.maxBytes, max_rows: LIMITS.maxRows },
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
    if (!FIELD_INDEX.has(name)) errors.push({ row: 1, column: name, code: 'unknown_column' });
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

/** The first line of a text, up to its first CR or LF. */
function firstLine(text: string): string {
  const end = text.search(/[\r\n]/);
  return end < 0 ? text : text.slice(0, end);
}

/**
 * The line ending csv-parse settles on: the first of CRLF, LF or CR in the text. With no quote in
 * a file, splitting on it gives exactly csv-parse's records.
 */
function recordDelimiterOf(text: string): string {
  const at = text.search(/[\r\n]/);
  if (at < 0) return '\n';
  return text[at] === '\n' ? '\n' : text[at + 1] === '\n' ? '\r\n' : '\r';
}

/** A character that `String.prototype.trim` keeps at either end of a text. */
function isVisibleAscii(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

/**
 * Turns CSV records into rows: blank records count as rows but carry nothing, the first other one
 * is the header, and a header column that is not a field is skipped in every row.
 */
class CsvRows {
  private index = 0;
  private columns: number[] | null = null;
  headerErrors: RowError[] = [];
  rows = 0;
  private readonly values: RowValues = new Array(FIELD_NAMES.length);

  constructor(private readonly sink: RowSink) {}

  record(record: readonly string[]): void {
    this.index++;
    let blank = true;
    for (const field of record) {
      if (field.trim() !== '') {
        blank = false;
        break;
      }
    }
    if (blank) return;
    if (!this.columns) {
      const names = record.map((c) => c.trim().toLowerCase());
      this.headerErrors = headerProblems(names);
      this.columns = names.map((name) => FIELD_INDEX.get(name) ?? -1);
      this.sink.header?.(this.headerErrors);
      return;
    }
    if (this.rows >= LIMITS.maxRows) throw tooLarge();
    this.rows++;
    const { values, columns } = this;
    values.fill(undefined);
    for (let i = 0; i < columns.length; i++) {
      const field = columns[i]!;
      if (field < 0) continue;
      const v = clean(record[i]);
      // A later duplicate column only overrides with a value.
      if (typeof v === 'string') values[field] = v;
    }
    this.sink.row(this.index, values, null);
  }

  /**
   * The record text[start … end) of a file without quotes, as `record` takes it split at
   * `separator`, but with its fields put straight into the row's values. A line that may be blank
   * (it starts with a space or a separator), and the header, take the general way.
   */
  line(text: string, start: number, end: number, separator: number): void {
    const { columns } = this;
    const first = start < end ? text.charCodeAt(start) : 0;
    if (!columns || first <= 0x20 || first >= 0x7f || first === separator) {
      this.record(text.slice(start, end).split(String.fromCharCode(separator)));
      return;
    }
    this.index++;
    if (this.rows >= LIMITS.maxRows) throw tooLarge();
    this.rows++;
    const { values } = this;
    values.fill(undefined);
    let from = start;
    for (let i = 0; i < columns.length; i++) {
      let to = from;
      while (to < end && text.charCodeAt(to) !== separator) to++;
      const field = columns[i]!;
      if (field >= 0 && to > from) {
        // Trimmed as `clean` trims, without the call when both ends are visible ASCII.
        const v =
          isVisibleAscii(text.charCodeAt(from)) && isVisibleAscii(text.charCodeAt(to - 1))
            ? text.slice(from, to)
            : text.slice(from, to).trim();
        // A later duplicate column only overrides with a value.
        if (v !== '') values[field] = v;
      }
      if (to >= end) break;
      from = to + 1;
    }
    this.sink.row(this.index, values, null);
  }

  finish(): void {
    if (!this.columns) this.headerErrors = headerProblems([]);
  }

  /** The record being read when csv-parse stopped. */
  get position(): number {
    return this.index;
  }
}

/**
 * Reads a CSV body: comma or semicolon separated, optional BOM, quoted fields. Rows are numbered
 * as a spreadsheet shows them (blank lines count; a quoted cell spanning lines is one row). Past
 * the row limit, 413. A body without any quote (the usual export) is split directly, which gives
 * csv-parse's records at a fraction of its cost; any other goes through csv-parse. A file
 * csv-parse cannot read is one row error at the line where reading stopped.
 */
function readCsv(body: Buffer, sink: RowSink): Omit<ParsedBody, 'sha256'> {
  const out = new CsvRows(sink);
  const utf16 = body[0] === 0xff && body[1] === 0xfe;
  if (!utf16 && !body.includes(QUOTE)) {
    let text = body.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const separator = separatorOf(firstLine(text)).charCodeAt(0);
    const delimiter = recordDelimiterOf(text);
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf(delimiter, start);
      if (end < 0) end = text.length;
      out.line(text, start, end, separator);
      start = end + delimiter.length;
    }
    out.finish();
    return { rows: out.rows, headerErrors: out.headerErrors, unreadable: false };
  }
  try {
    parseCsvSync(body, {
      bom: true,
      delimiter: separatorOf(firstLine(body.subarray(0, 64 * 1024).toString('utf8'))),
      relax_column_count: true,
      on_record: (record: string[]) => {
        out.record(record);
        return null;
      },
    });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // csv-parse's code names the problem (an unclosed quote, say); its message may quote a
    // field, which could hold a KK number, so only the code and the line go back.
    const { lines, code } = err as { lines?: number; code?: string };
    const line = lines ?? out.position + 1;
    return {
      rows: 0,
      unreadable: true,
      headerErrors: [
        {
          row: line,
          column: null,
          code: 'invalid_csv',
          params: { problem: code ?? 'CSV_PARSE_ERROR', line },
        },
      ],
    };
  }
  out.finish();
  return { rows: out.rows, headerErrors: out.headerErrors, unreadable: false };
}

function readJson(body: Buffer, sink: RowSink): Omit<ParsedBody, 'sha256'> {
  let items: unknown;
  try {
    items = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  if (!Array.isArray(items)) {
    throw new ApiError(400, 'invalid_json', 'The body must be a JSON array of records.');
  }
  if (items.length > LIMITS.maxRows) throw tooLarge();
  /** Unknown keys, with the first item that has each. */
  const unknown = new Map<string, number>();
  const values: RowValues = new Array(FIELD_NAMES.length);
  const badTypes: number[] = [];
  items.forEach((item: unknown, i) => {
    const row = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      sink.notObject(row);
      return;
    }
    values.fill(undefined);
    badTypes.length = 0;
    for (const [key, raw] of Object.entries(item as Record<string, unknown>)) {
      const field = FIELD_INDEX.get(key);
      if (field === undefined) {
        if (!unknown.has(key)) unknown.set(key, row);
        continue;
      }
      const v = clean(raw);
      if (v === null) badTypes.push(field);
      else if (v !== undefined) values[field] = v;
    }
    sink.row(row, values, badTypes.length ? badTypes : null);
  });
  const headerErrors: RowError[] = [];
  for (const [key, row] of unknown) headerErrors.push({ row, column: key, code: 'unknown_column' });
  return { rows: items.length, headerErrors, unreadable: false };
}

/**
 * Collects an upload body (CSV or JSON) chunk by chunk within the byte limit, hashing it as it
 * comes, then reads it into rows for a sink.
 */
export class BodyReader {
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private digest: string | null = null;

  constructor(private readonly format: BodyFormat) {
    this.hash.update(`${format}\n`);
  }

  push(chunk: Uint8Array): void {
    if (this.digest !== null) throw new Error('the body was already read to its end');
    this.bytes += chunk.length;
    if (this.bytes > LIMITS.maxBytes) throw tooLarge();
    this.hash.update(chunk);
    this.chunks.push(chunk);
  }

  /** The body's fingerprint: SHA-256 of the format and the body; the body must be complete. */
  sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }

  /** Reads the whole body into `sink`; throws ApiError for a body that is not JSON (400). */
  finish(sink: RowSink): ParsedBody {
    const sha256 = this.sha256();
    const body = Buffer.concat(this.chunks, this.bytes);
    this.chunks.length = 0;
    const read = this.format === 'csv' ? readCsv(body, sink) : readJson(body, sink);
    return { ...read, sha256 };
  }
}
