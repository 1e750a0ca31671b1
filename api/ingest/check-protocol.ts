import type { CheckOutcome } from './check';
import type { CheckContextData } from './check-context';
import type { BodyFormat } from './parse';
import type { StagedBatch } from './staging';

/** Messages to the check thread. A job is begun, fed its body chunk by chunk, then ended. */
export type ThreadRequest =
  | { type: 'context'; id: number; data: CheckContextData }
  | { type: 'begin'; id: number; context: number; format: BodyFormat; today: string; kkKey: string }
  | { type: 'chunk'; id: number; chunk: ArrayBuffer }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };

/** An error of a job: an ApiError's parts, or status 500 for anything else. */
export interface CheckFailure {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

/**
 * Messages from the check thread, per job in this order: `received` once the body is in, a
 * `staged` chunk of records at a time, then `done`; or `failed` at any point.
 */
export type ThreadReply =
  | { type: 'received'; id: number; sha256: string }
  | { type: 'staged'; id: number; batch: StagedBatch }
  | { type: 'done'; id: number; outcome: CheckOutcome }
  | { type: 'failed'; id: number; error: CheckFailure };
