import { availableParallelism } from 'node:os';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/database';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';

/**
 * Admission control for requests that query the store: at most `concurrency` run at once, at
 * most `queue` more wait, each at most `queueMs`; anything past that is answered 503 with
 * Retry-After at once, so overload costs a client a retry instead of costing every client a
 * slow answer. The wait adapts (controlled delay): a burst, such as a page asking for its
 * figures at once, waits patiently while the queue keeps emptying; once the queue has not been
 * empty for `overloadMs`, the server is overloaded and a newcomer waits at most `overloadQueueMs`. An admitted request's reads share one deadline: past it the running DuckDB query
 * is interrupted and the request answers 503.
 *
 * Placed after the response cache, so cache hits (and the routes left outside: health,
 * sessions, uploads, static files) never wait behind queries.
 */
export interface AdmissionLimits {
  /** Requests querying the store at once. */
  concurrency: number;
  /** Requests waiting for a slot; past it, 503 at once. */
  queue: number;
  /** How long a request may wait for a slot. */
  queueMs: number;
  /** How long the queue may stay non-empty before the server counts as overloaded. */
  overloadMs: number;
  /** How long a newcomer may wait for a slot while the server is overloaded. */
  overloadQueueMs: number;
  /** How long an admitted request's queries may run, all together. */
  deadlineMs: number;
}

/**
 * One query per processor keeps each admitted query fast (DuckDB parallelises within a query);
 * the queue absorbs a burst for half a second at most.
 */
export const DEFAULT_ADMISSION: AdmissionLimits = {
  concurrency: Math.max(2, availableParallelism()),
  queue: 64,
  queueMs: 5_000,
  overloadMs: 3_000,
  overloadQueueMs: 250,
  deadlineMs: 20_000,
};

/** Seconds a refused client is asked to wait before it tries again. */
const RETRY_AFTER_SECONDS = 1;

export interface AdmissionStats {
  running: number;
  waiting: number;
  /** Requests refused since the start: the queue was full, or the wait ran out. */
  refused: number;
  /** Requests whose queries ran past the deadline. */
  timedOut: number;
}

function overloaded(why: string): ApiError {
  return new ApiError(
    503,
    'overloaded',
    `The server is busy (${why}); try again in a moment.`,
    { retry_after_seconds: RETRY_AFTER_SECONDS },
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

/** A query cut at the request's deadline. */
export class QueryDeadlineError extends ApiError {
  constructor(deadlineMs: number) {
    super(
      503,
      'query_timeout',
      `The query ran longer than ${deadlineMs / 1000} s and was stopped; narrow the filters or try again later.`,
      { deadline_ms: deadlineMs },
      { 'Retry-After': String(RETRY_AFTER_SECONDS * 5) },
    );
  }
}

/** The store as one request sees it: every read gets the request's deadline signal. */
function withDeadline(db: Database, signal: AbortSignal, deadlineMs: number): Database {
  return {
    ...db,
    file: db.file,
    readOnly: db.readOnly,
    read: async (work) => {
      try {
        return await db.read(work, { signal });
      } catch (err) {
        if (signal.aborted) throw new QueryDeadlineError(deadlineMs);
        throw err;
      }
    },
  };
}

export class Admission {
  private running = 0;
  private readonly waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  private refused = 0;
  private timedOut = 0;
  /** When the queue was last seen empty. */
  private emptyAt = performance.now();

  constructor(readonly limits: AdmissionLimits = DEFAULT_ADMISSION) {}

  stats(): AdmissionStats {
    return {
      running: this.running,
      waiting: this.waiting.length,
      refused: this.refused,
      timedOut: this.timedOut,
    };
  }

  /** Resolves once the request holds a slot; throws 503 when none comes in time. */
  private enter(): Promise<void> {
    const now = performance.now();
    if (this.waiting.length === 0) this.emptyAt = now;
    if (this.running < this.limits.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    const overloadedNow = now - this.emptyAt > this.limits.overloadMs;
    const patience = overloadedNow
      ? Math.min(this.limits.overloadQueueMs, this.limits.queueMs)
      : this.limits.queueMs;
    if (this.waiting.length >= this.limits.queue) {
      this.refused++;
      return Promise.reject(overloaded('every query slot and the queue are taken'));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          this.running++;
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          if (this.waiting.length === 0) this.emptyAt = performance.now();
          this.refused++;
          reject(overloaded('no query slot came free in time'));
        }, patience),
      };
      this.waiting.push(waiter);
    });
  }

  private leave(): void {
    this.running--;
    this.waiting.shift()?.admit();
    if (this.waiting.length === 0) this.emptyAt = performance.now();
  }

  readonly middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    await this.enter();
    const { deadlineMs } = this.limits;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    c.set('db', withDeadline(c.var.db, deadline.signal, deadlineMs));
    try {
      await next();
      // Hono catches a route's error and renders it before returning here: count it from there.
      if (c.error instanceof QueryDeadlineError) this.timedOut++;
    } finally {
      clearTimeout(timer);
      this.leave();
    }
  };
}
