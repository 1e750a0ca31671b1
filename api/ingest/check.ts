import type { Locator } from '../geo/locate';
import type { CheckContext } from './check-context';
import { KeyedHasher } from './keyed-hash';
import { BodyReader, type BodyFormat } from './parse';
import { summariseProblems, type ProblemSummary } from './problems';
import { StagingBuilder, type StagedBatch } from './staging';
import { RowChecker, type RowError } from './validate';

/** Records per staged chunk: the commit stores a chunk while the next ones are checked. */
export const CHUNK_RECORDS = 25_000;

export interface CheckOptions {
  format: BodyFormat;
  context: CheckContext;
  /** The locator, asked for only when a row has a point. */
  locator: () => Locator;
  /** Today in Jakarta (YYYY-MM-DD). */
  today: string;
  kkKey: string;
}

/** How checking an upload body ended: every row passed (its records were staged), or not. */
export interface CheckOutcome {
  /** Data rows in the body. */
  rows: number;
  /** Records staged, in all chunks; 0 when there are problems. */
  records: number;
  /** Null when every row passed. */
  problems: ProblemSummary | null;
}

const hashers = new Map<string, KeyedHasher>();
function hasherFor(key: string): KeyedHasher {
  let hasher = hashers.get(key);
  if (!hasher) {
    hasher = new KeyedHasher(key);
    hashers.set(key, hasher);
  }
  return hasher;
}

/**
 * One upload body from bytes to staged columns: parse, check every row (point-in-polygon, keyed
 * hashes), collect the good ones as text columns, handed over in chunks of CHUNK_RECORDS so that
 * storing can begin before the last row is checked. Once a row fails, nothing more is staged (the
 * batch will be refused) but every row is still checked, to list every problem. Runs on the
 * check thread (check-worker.ts), or in process for measurements; throws ApiError for a body
 * over the limits or unreadable JSON.
 */
export class UploadCheck {
  private readonly reader: BodyReader;

  constructor(private readonly options: CheckOptions) {
    this.reader = new BodyReader(options.format);
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  /** The body's fingerprint; call once the whole body is pushed. */
  sha256(): string {
    return this.reader.sha256();
  }

  finish(onChunk: (batch: StagedBatch) => void, chunkRecords = CHUNK_RECORDS): CheckOutcome {
    const o = this.options;
    let locator: Locator | null = null;
    const lazyLocator = {
      locate: (lon: number, lat: number) => (locator ??= o.locator()).locate(lon, lat),
      rwContains: (code: string, lon: number, lat: number) =>
        (locator ??= o.locator()).rwContains(code, lon, lat),
    } as Locator;
    let staging = new StagingBuilder(chunkRecords);
    let records = 0;
    let refused = false;
    const checker = new RowChecker(
      { context: o.context, locator: lazyLocator, today: o.today, hasher: hasherFor(o.kkKey) },
      (record) => {
        refused ||= checker.errors.length > 0;
        if (refused) return;
        staging.add(record);
        records++;
        if (staging.size === chunkRecords) {
          onChunk(staging.finish());
          staging = new StagingBuilder(chunkRecords);
        }
      },
    );
    const parsed = this.reader.finish({
      header: (problems) => (refused ||= problems.length > 0),
      row: (row, values, badTypes) => checker.check(row, values, badTypes),
      notObject: (row) => checker.notObject(row),
    });
    const problems: RowError[] = parsed.unreadable
      ? parsed.headerErrors
      : [...parsed.headerErrors, ...checker.errors];
    if (parsed.rows === 0 && problems.length === 0) {
      problems.push({ row: 2, column: null, code: 'required' });
    }
    if (problems.length > 0) {
      return { rows: parsed.rows, records: 0, problems: summariseProblems(problems) };
    }
    if (staging.size > 0) onChunk(staging.finish());
    return { rows: parsed.rows, records, problems: null };
  }
}
