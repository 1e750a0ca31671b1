import { describe, expect, it } from 'vitest';
import { parseViewState, serializeViewState } from './url-state';

describe('view state in the URL', () => {
  it('round-trips', () => {
    const state = parseViewState('?level=rw&metric=gap&aid=sembako,thr&lang=en');
    expect(state).toEqual({ level: 'rw', metric: 'gap', aid: ['sembako', 'thr'], lang: 'en' });
    expect(parseViewState(serializeViewState(state))).toEqual(state);
  });

  it('falls back to defaults for a malformed link', () => {
    expect(parseViewState('?level=planet&metric=%00&aid=beras,,&lang=xx')).toEqual({
      level: 'kota',
      metric: 'coverage',
      aid: [],
      lang: undefined,
    });
    expect(parseViewState('')).toMatchObject({ level: 'kota', metric: 'coverage', aid: [] });
  });
});
