import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import {
  HttpError,
  sessionOptions,
  signIn as postSession,
  signOut as deleteSession,
  type Principal,
} from './api';

/**
 * Whether this browser signed in (never the token: that lives only in the HttpOnly cookie).
 * Without it the client does not ask GET /api/session, whose 401 every signed-out visitor would
 * otherwise get, logged by the browser as a failed request. A cookie this browser holds without
 * the hint (site data partly cleared) only means signing in once more.
 */
const HINT_KEY = 'peta-kolaborasi.signed-in';

function readHint(): boolean {
  try {
    return globalThis.localStorage?.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}

function writeHint(on: boolean): void {
  try {
    if (on) globalThis.localStorage?.setItem(HINT_KEY, '1');
    else globalThis.localStorage?.removeItem(HINT_KEY);
  } catch {
    // storage may be unavailable (private mode): the session then lasts as long as the page
  }
}

export interface Session {
  /** The signed-in principal; null when signed out; undefined while not known yet. */
  principal: Principal | null | undefined;
  signIn: (token: string) => Promise<Principal>;
  signOut: () => Promise<void>;
  /** The server answered 401 to a signed-in request: forget the session. */
  expire: () => void;
}

/** The session kept by the server's cookie, as the header and the write-side pages see it. */
export function useSession(): Session {
  const queryClient = useQueryClient();
  const [hint, setHint] = useState(readHint);
  useEffect(() => {
    // Another tab signed in or out.
    const onStorage = (e: StorageEvent) => {
      if (e.key !== HINT_KEY) return;
      setHint(readHint());
      void queryClient.invalidateQueries({ queryKey: sessionOptions().queryKey });
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [queryClient]);

  const query = useQuery({ ...sessionOptions(), enabled: hint });
  const principal = hint ? query.data : null;
  useEffect(() => {
    if (query.data === null && hint) {
      writeHint(false);
      setHint(false);
    }
  }, [query.data, hint]);

  const remember = useCallback(
    (p: Principal | null) => {
      writeHint(p !== null);
      setHint(p !== null);
      queryClient.setQueryData(sessionOptions().queryKey, p);
      // Whatever the previous principal could see is not the next one's.
      queryClient.removeQueries({ queryKey: ['batches'] });
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
  return { principal, signIn, signOut, expire };
}

/** "Aksi Cepat Tanggap (Agregator)", or the role alone for province staff. */
export function describePrincipal(p: Principal, t: (key: string) => string): string {
  const role = t(`roles.${p.role}`);
  return p.org_name ? `${p.org_name} (${role})` : role;
}
