import { useMutation, useQueryClient } from '@tanstack/react-query';
import { moveRecords } from './api';

/** Answers a decision never changes: lists, geometry, the session, the upload format. */
const UNCHANGED = new Set(['meta', 'boundaries', 'session', 'upload-fields', 'record-reasons']);

/**
 * Whether a cached answer may be out of date once records moved: the queues and records, the
 * batches' status counts, and every figure (a province decision moves the public ones).
 */
export function refreshesAfterMove(queryKey: readonly unknown[]): boolean {
  return !(typeof queryKey[0] === 'string' && UNCHANGED.has(queryKey[0]));
}

/**
 * Sends a transition; whatever the answer (a 409 included: someone else moved a record), the
 * queue and everything that counts records is asked for again.
 */
export function useMoveRecords() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: moveRecords,
    onSettled: () =>
      queryClient.invalidateQueries({ predicate: (q) => refreshesAfterMove(q.queryKey) }),
  });
}
