import { CHUNK_RECORDS, UploadCheck, type CheckOptions, type CheckOutcome } from './check';
import type { StagedBatch } from './staging';

/**
 * An upload as its check goes on: the body's fingerprint once it is all in, the staged records
 * chunk by chunk as rows pass, and the outcome. Storing may begin with the first chunk while later
 * rows are still checked; it must not finish before `outcome` (any problem refuses the batch).
 */
export interface CheckedUpload {
  /** Settles once the first chunk or the outcome is in; rejects as `outcome` does. */
  readonly ready: Promise<void>;
  /** SHA-256 of the format and body, the fingerprint of Idempotency-Keys; set once `ready`. */
  readonly sha256: string;
  /** The staged chunks in order; throws if the check failed. */
  chunks(): AsyncGenerator<StagedBatch>;
  readonly outcome: Promise<CheckOutcome>;
  /** The outcome once it is in, else null. */
  readonly settled: CheckOutcome | null;
}

/** The receiving end of a check: fed its events, it serves them as a CheckedUpload. */
export class UploadProgress implements CheckedUpload {
  readonly ready: Promise<void>;
  readonly outcome: Promise<CheckOutcome>;
  sha256 = '';
  settled: CheckOutcome | null = null;
  private readonly queue: StagedBatch[] = [];
  private finished = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private settleReady!: (err?: Error) => void;
  private settleOutcome!: (outcome: CheckOutcome | Error) => void;

  constructor() {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (err) => (err ? reject(err) : resolve());
    });
    this.outcome = new Promise<CheckOutcome>((resolve, reject) => {
      this.settleOutcome = (o) => (o instanceof Error ? reject(o) : resolve(o));
    });
    // Whoever awaits them sees a failure; unawaited, it must not count as unhandled.
    this.ready.catch(() => {});
    this.outcome.catch(() => {});
  }

  received(sha256: string): void {
    this.sha256 = sha256;
  }

  staged(batch: StagedBatch): void {
    this.queue.push(batch);
    this.settleReady();
    this.wakeUp();
  }

  done(outcome: CheckOutcome): void {
    this.finished = true;
    this.settled = outcome;
    this.settleReady();
    this.settleOutcome(outcome);
    this.wakeUp();
  }

  failed(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = err;
    this.settleReady(err);
    this.settleOutcome(err);
    this.wakeUp();
  }

  async *chunks(): AsyncGenerator<StagedBatch> {
    for (;;) {
      const batch = this.queue.shift();
      if (batch) {
        yield batch;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** Checks a body in this thread (measurements, tests); the server uses the check thread. */
export function checkInProcess(
  body: readonly Uint8Array[],
  options: CheckOptions,
  chunkRecords = CHUNK_RECORDS,
): CheckedUpload {
  const progress = new UploadProgress();
  try {
    const check = new UploadCheck(options);
    for (const chunk of body) check.push(chunk);
    progress.received(check.sha256());
    progress.done(check.finish((batch) => progress.staged(batch), chunkRecords));
  } catch (err) {
    progress.failed(err as Error);
  }
  return progress;
}
