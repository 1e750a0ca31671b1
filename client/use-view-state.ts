import { useCallback, useEffect, useRef, useState } from 'react';
import { parseViewState, serializeViewState, type ViewState } from './url-state';

export type UpdateView = (next: Partial<ViewState>, options?: { replace?: boolean }) => void;

/**
 * The view state kept in the URL. A change pushes one history entry (back and forward walk
 * through views); map moves and playback replace the current entry instead.
 */
export function useViewState(): [ViewState, UpdateView] {
  const [state, setState] = useState(() => parseViewState(window.location.search));
  // The latest state, so an update writes history exactly once (no side effects in updaters).
  const current = useRef(state);
  useEffect(() => {
    const onPop = () => {
      current.current = parseViewState(window.location.search);
      setState(current.current);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = useCallback<UpdateView>((next, options) => {
    const merged = { ...current.current, ...next };
    const url = serializeViewState(merged);
    if (url === window.location.search) return;
    if (options?.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    current.current = merged;
    setState(merged);
  }, []);
  return [state, update];
}
