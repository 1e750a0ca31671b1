import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import {
  choroplethOptions,
  overlapOptions,
  queueStatsOptions,
  summaryOptions,
  WAITING_STATUSES,
  type ChoroplethRow,
  type OverlapRow,
  type Principal,
  type QueryFilters,
} from './api';
import i18n from './i18n';
import {
  byCode,
  OVERLAP_STATUSES,
  parentOf,
  plannerFigures,
  shownMetric,
  withPlannerFigures,
} from './planner-measures';
import { describeRegion } from './tooltip';
import { forgetPrivateAnswers } from './use-session';

const person = (role: Principal['role']): Principal => ({
  role,
  org: role === 'aggregator' ? 'act' : null,
  org_name: role === 'aggregator' ? 'Aksi Cepat Tanggap' : null,
  kelurahan: [],
  label: role,
});
const PUBLIC: QueryFilters = {
  from: '2020-04-24',
  to: '2020-05-27',
  aid: [],
  aggregator: [],
  recipient: [],
  status: [],
};

function region(code: string, records = 0): ChoroplethRow {
  return {
    code,
    name: `Region ${code}`,
    parent_code: null,
    need: 100,
    households: 120,
    population: 400,
    packages: 10,
    packages_by_type: { sembako: 10, siap_saji: 0, lebaran: 0, thr: 0 },
    records,
    households_reached: 10,
    coverage: 0.1,
    gap: 90,
    status: 'underserved',
    packages_per_100_need: 10,
    packages_per_1000_residents: 25,
    covid_positive: null,
    covid_per_10k: null,
    modelled: false,
  };
}

function overlap(code: string, reached: number, multi: number): OverlapRow {
  return {
    code,
    households_reached: reached,
    households_multi_aggregator: multi,
    multi_aggregator_share: reached ? multi / reached : null,
  };
}

describe('the planner measures', () => {
  it('are shown to planners and admins only; anyone else gets the default measure', () => {
    expect(shownMetric('records_waiting', person('planner'))).toBe('records_waiting');
    expect(shownMetric('multi_aggregator_share', person('admin'))).toBe('multi_aggregator_share');
    for (const role of ['aggregator', 'verifier_kelurahan', 'verifier_province'] as const)
      expect(shownMetric('records_waiting', person(role)), role).toBe('coverage');
    expect(shownMetric('multi_aggregator_share', null)).toBe('coverage');
    // While the session is not known, a planner's link keeps its measure.
    expect(shownMetric('records_waiting', undefined)).toBe('records_waiting');
    // Public measures stay what the link says, for everyone.
    expect(shownMetric('gap', null)).toBe('gap');
  });

  it('count waiting records in both checks, and overlap over every record not refused', () => {
    expect(WAITING_STATUSES).toEqual(['submitted', 'verified_kelurahan']);
    expect(OVERLAP_STATUSES).toEqual(['submitted', 'verified_kelurahan', 'verified']);
  });

  it('join the public rows by code; a region missing from a loaded answer has none', () => {
    const rows = byCode([region('31.71'), region('31.72'), region('31.73')])!;
    const answers = {
      waiting: byCode([region('31.71', 12), region('31.72', 0)]),
      overlap: byCode([overlap('31.71', 5672, 6), overlap('31.72', 200, 0)]),
    };
    const joined = withPlannerFigures(rows, answers);
    expect(joined.get('31.71')).toMatchObject({
      need: 100,
      records_waiting: 12,
      households_multi_aggregator: 6,
      households_served: 5672,
      multi_aggregator_share: 0.0011, // 0.001058, as the map writes it: 0,11%
    });
    expect(joined.get('31.72')).toMatchObject({ records_waiting: 0, multi_aggregator_share: 0 });
    expect(joined.get('31.73')).toMatchObject({
      records_waiting: 0,
      households_served: 0,
      multi_aggregator_share: null,
    });
    // The public rows are not touched.
    expect(rows.get('31.71')).not.toHaveProperty('records_waiting');
    // Answers not there yet: no figure rather than zero.
    expect(plannerFigures('31.71', { waiting: undefined, overlap: undefined })).toEqual({
      records_waiting: null,
      multi_aggregator_share: null,
      households_multi_aggregator: null,
      households_served: null,
    });
  });

  it('find the region an area lies in', () => {
    expect(parentOf('31.71.01.1001')).toBe('31.71.01');
    expect(parentOf('31.71.01')).toBe('31.71');
    expect(parentOf('31.71')).toBeUndefined();
  });

  it('describe a region by the measure alone, with the households behind a share', () => {
    const t = i18n.getFixedT('id');
    const row = {
      ...region('31.72.04.1004'),
      ...plannerFigures('31.72.04.1004', {
        waiting: byCode([region('31.72.04.1004', 1234)]),
        overlap: byCode([overlap('31.72.04.1004', 5672, 6)]),
      }),
    };
    expect(describeRegion(row, 'records_waiting', t, null)).toBe(
      'Region 31.72.04.1004 (31.72.04.1004)\nCatatan menunggu verifikasi: 1.234',
    );
    expect(describeRegion(row, 'multi_aggregator_share', t, 'Klik lagi untuk masuk')).toBe(
      'Region 31.72.04.1004 (31.72.04.1004)\nRumah tangga dilayani >1 agregator: 0,11%\n' +
        '6 dari 5.672 rumah tangga yang dilayani\nKlik lagi untuk masuk',
    );
  });
});

describe('planner answers in the query cache', () => {
  it('are keyed by the caller under records, or by their record states', () => {
    const key = overlapOptions('planner|x', 'kelurahan', {
      ...PUBLIC,
      status: OVERLAP_STATUSES,
    }).queryKey;
    expect(key.slice(0, 3)).toEqual(['records', 'planner|x', 'overlap']);
    expect(queueStatsOptions('planner|x').queryKey).toEqual(['records', 'planner|x', 'stats']);
  });

  it('all go when the caller signs out, and the public answers stay', () => {
    const client = new QueryClient();
    const waiting = choroplethOptions('kelurahan', {
      ...PUBLIC,
      status: WAITING_STATUSES,
    }).queryKey;
    const publicChoropleth = choroplethOptions('kelurahan', PUBLIC).queryKey;
    const publicSummary = summaryOptions(PUBLIC).queryKey;
    const overlapKey = overlapOptions('p', 'kelurahan', {
      ...PUBLIC,
      status: OVERLAP_STATUSES,
    }).queryKey;
    const stats = queueStatsOptions('p').queryKey;
    for (const key of [waiting, publicChoropleth, publicSummary, overlapKey, stats, ['batches']])
      client.setQueryData(key, { rows: [] });
    forgetPrivateAnswers(client);
    const left = client
      .getQueryCache()
      .getAll()
      .map((q) => q.queryKey);
    expect(left).toEqual([publicChoropleth, publicSummary]);
  });
});
