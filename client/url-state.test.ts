import { describe, expect, it } from 'vitest';
import { parseViewState, serializeViewState } from './url-state';

describe('view state in the URL', () => {
  it('round-trips', () => {
    const state = parseViewState('?level=rw&metric=gap&aid=sembako,thr&lang=en');
    expect(state).toEqual({
      level: 'rw',
      metric: 'gap',
      aid: ['sembako', 'thr'],
      lang: 'en',
      area: undefined,
    });
    const drilled = parseViewState('?level=kelurahan&area=31.71.01');
    expect(drilled.area).toBe('31.71.01');
    expect(parseViewState(serializeViewState(drilled))).toEqual(drilled);
    expect(parseViewState(serializeViewState(state))).toEqual(state);
  });

  it('falls back to defaults for a malformed link', () => {
    expect(parseViewState('?level=planet&metric=%00&aid=beras,,&lang=xx&area=31;drop')).toEqual({
      level: 'kota',
      metric: 'coverage',
      aid: [],
      lang: undefined,
      area: undefined,
    });
    expect(parseViewState('')).toMatchObject({ level: 'kota', metric: 'coverage', aid: [] });
  });
});

describe('drill-down levels', () => {
  it('derives the level of an area code and the level inside it', async () => {
    const { childLevel, levelOfArea } = await import('./url-state');
    expect(levelOfArea('31.71')).toBe('kota');
    expect(levelOfArea('31.71.01')).toBe('kecamatan');
    expect(levelOfArea('31.71.01.1001')).toBe('kelurahan');
    expect(childLevel('kota')).toBe('kecamatan');
    expect(childLevel('kelurahan')).toBe('rw');
    expect(childLevel('rw')).toBe('rw');
  });
});
