import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import {
  asksUnverified,
  HttpError,
  RECORDS_KEY,
  sessionOptions,
  signIn as postSession,
  signOut as deleteSession,
  type Principal,
} from './api';

export interface Session {
  /** The signed-in principal; null when signed out; undefined while not known yet. */
  principal: Principal | null | undefined;
  /** Whether the server answered who is signed in (false while asking; true after a failure). */
  known: boolean;
  signIn: (token: string) => Promise<Principal>;
  signOut: () => Promise<void>;
  /** The server answered 401 to a signed-in request: forget the session. */
  expire: () => void;
}

/**
 * Drops every answer that belonged to the caller: batches, records (queues, overlap, stats) and
 * figures with unverified records. Whatever the previous principal could see is not the next
 * one's, nor the public's after signing out.
 */
export function forgetPrivateAnswers(queryClient: QueryClient): void {
  queryClient.removeQueries({ queryKey: ['batches'] });
  queryClient.removeQueries({ queryKey: [RECORDS_KEY] });
  queryClient.removeQueries({ predicate: (q) => asksUnverified(q.queryKey) });
}

/** The session kept by the server's cookie, as the header and the write-side pages see it. */
export function useSession(): Session {
  const queryClient = useQueryClient();
  const session = useQuery(sessionOptions());
  const principal = session.data;

  const remember = useCallback(
    (p: Principal | null) => {
      queryClient.setQueryData(sessionOptions().queryKey, p);
      forgetPrivateAnswers(queryClient);
    },
    [queryClient],
  );
  const signIn = useCallback(
    async (token: string) => {
      const p = await postSession(token);
      remember(p);
      return p;
    },
    [remember],
  );
  const signOut = useCallback(async () => {
    try {
      await deleteSession();
    } catch (e) {
      // A session the server already ended is as good as signed out.
      if (!(e instanceof HttpError && e.status === 401)) throw e;
    }
    remember(null);
  }, [remember]);
  const expire = useCallback(() => remember(null), [remember]);
  return { principal, known: !session.isPending, signIn, signOut, expire };
}

/** "Aksi Cepat Tanggap (Agregator)", or the role alone for province staff. */
export function describePrincipal(p: Principal, t: (key: string) => string): string {
  const role = t(`roles.${p.role}`);
  return p.org_name ? `${p.org_name} (${role})` : role;
}
