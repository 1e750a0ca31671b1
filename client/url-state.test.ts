import { describe, expect, it } from 'vitest';
import {
  childLevel,
  effectiveRange,
  levelOfArea,
  parseViewState,
  serializeViewState,
} from './url-state';

const EXTENT = { from: '2020-04-24', to: '2020-05-27' };

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    const link =
      '?level=rw&metric=bivariate&aid=thr,sembako&agg=pmi,act&rcpt=orphanage&from=2020-05-01&to=2020-05-10' +
      '&play=window&inst=pesantren&rec=all&lang=en&area=31.71.01&sel=31.71.01.1001&lon=106.81234&lat=-6.17&z=12.5&page=methods';
    const state = parseViewState(link);
    expect(state).toEqual({
      level: 'rw',
      metric: 'bivariate',
      aid: ['sembako', 'thr'],
      aggregator: ['act', 'pmi'],
      recipient: ['orphanage'],
      from: '2020-05-01',
      to: '2020-05-10',
      play: 'window',
      institutions: ['pesantren'],
      records: 'all',
      lang: 'en',
      area: '31.71.01',
      selected: '31.71.01.1001',
      viewport: { longitude: 106.81234, latitude: -6.17, zoom: 12.5 },
      page: 'methods',
    });
    expect(parseViewState(serializeViewState(state))).toEqual(state);
  });

  it('writes only what differs from the defaults', () => {
    expect(serializeViewState(parseViewState(''))).toBe('?level=kelurahan&metric=coverage');
  });

  it('falls back to defaults for a malformed link', () => {
    const state = parseViewState(
      '?level=planet&metric=%00&aid=beras,,&agg=<x>&rec=everything&lang=xx&area=31;drop&sel=31.71.01.1001.0011' +
        '&from=2020-13-45&to=yesterday&play=rewind&inst=zoo&lon=abc&lat=-6.2&z=12&page=admin',
    );
    expect(state).toEqual({
      level: 'kelurahan',
      metric: 'coverage',
      aid: [],
      aggregator: [],
      recipient: [],
      from: undefined,
      to: undefined,
      play: 'cumulative',
      institutions: [],
      records: 'verified',
      lang: undefined,
      area: undefined,
      selected: undefined,
      viewport: undefined,
      page: 'map',
    });
  });

  it('drops a date range that ends before it starts, and a viewport outside Jakarta', () => {
    const state = parseViewState('?from=2020-05-10&to=2020-05-01&lon=0&lat=0&z=3');
    expect(state.from).toBeUndefined();
    expect(state.to).toBeUndefined();
    expect(state.viewport).toBeUndefined();
  });

  it('opens the sign-in and upload pages from their links, keeping the map view', () => {
    expect(parseViewState('?page=signin').page).toBe('signin');
    const upload = parseViewState('?page=upload&lang=en&aid=thr');
    expect(upload).toMatchObject({ page: 'upload', lang: 'en', aid: ['thr'] });
    expect(serializeViewState(upload)).toBe(
      '?level=kelurahan&metric=coverage&aid=thr&lang=en&page=upload',
    );
    // A token never travels in the URL: an unknown parameter is not kept.
    expect(serializeViewState(parseViewState('?page=signin&token=demo-act'))).not.toContain('demo');
  });

  it("keeps a planner's choice to include unverified records, and nothing else under rec", () => {
    const link = '?level=kelurahan&metric=coverage&aid=thr&rec=all';
    expect(parseViewState(link).records).toBe('all');
    expect(serializeViewState(parseViewState(link))).toBe(link);
    expect(parseViewState('?rec=verified').records).toBe('verified');
    for (const bad of ['?rec=rejected', '?rec=ALL', '?rec=', '?rec=all,rejected'])
      expect(parseViewState(bad).records, bad).toBe('verified');
    expect(serializeViewState(parseViewState('?rec=rejected'))).not.toContain('rec=');
  });

  it('does not drill into an RW, but can select one', () => {
    const state = parseViewState('?area=31.71.01.1001.005&sel=31.71.01.1001.005');
    expect(state.area).toBeUndefined();
    expect(state.selected).toBe('31.71.01.1001.005');
  });
});

describe('the date range the queries use', () => {
  it('defaults to the whole period and clamps to it', () => {
    expect(effectiveRange(parseViewState(''), EXTENT)).toEqual(EXTENT);
    expect(effectiveRange(parseViewState('?from=2019-01-01&to=2021-01-01'), EXTENT)).toEqual(
      EXTENT,
    );
  });

  it('in window mode covers the last seven days up to the slider day', () => {
    expect(effectiveRange(parseViewState('?play=window&to=2020-05-10'), EXTENT)).toEqual({
      from: '2020-05-04',
      to: '2020-05-10',
    });
    // Near the start the window is shorter rather than reaching before the data.
    expect(effectiveRange(parseViewState('?play=window&to=2020-04-26'), EXTENT)).toEqual({
      from: '2020-04-24',
      to: '2020-04-26',
    });
  });

  it('in cumulative mode keeps the chosen start', () => {
    expect(effectiveRange(parseViewState('?from=2020-05-01&to=2020-05-03'), EXTENT)).toEqual({
      from: '2020-05-01',
      to: '2020-05-03',
    });
  });
});

describe('drill-down levels', () => {
  it('derives the level of an area code and the level inside it', () => {
    expect(levelOfArea('31.71')).toBe('kota');
    expect(levelOfArea('31.71.01')).toBe('kecamatan');
    expect(levelOfArea('31.71.01.1001')).toBe('kelurahan');
    expect(levelOfArea('31.71.01.1001.005')).toBe('rw');
    expect(childLevel('kota')).toBe('kecamatan');
    expect(childLevel('kelurahan')).toBe('rw');
    expect(childLevel('rw')).toBe('rw');
  });
});

describe('planner measures in the URL', () => {
  it('round-trip like any measure; an unknown one falls back to coverage', () => {
    for (const metric of ['records_waiting', 'multi_aggregator_share'] as const) {
      const state = parseViewState(`?metric=${metric}`);
      expect(state.metric).toBe(metric);
      expect(serializeViewState(state)).toContain(`metric=${metric}`);
    }
    expect(parseViewState('?metric=records_hidden').metric).toBe('coverage');
  });
});
