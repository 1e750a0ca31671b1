/**
 * The default KSBB dataset: synthetic households, illustrative institutions and individual
 * distribution records, shaped like the 2020 programme and calibrated so that verified records
 * reproduce the published figures exactly. Everything is drawn from one seeded Random, so the
 * same inputs always give the same rows.
 */
import {
  AGGREGATORS,
  AID_TYPES,
  INSTITUTION_TYPES,
  type AggregatorSlug,
  type AidType,
  type InstitutionType,
  type RecipientType,
  type RecordStatus,
} from '../../api/domain';
import type { InstitutionRow as ApiInstitutionRow } from '../../api/db/institutions';
import { hashInitials, hashKk } from '../../api/kk';
import { apportion } from '../lib/apportion';
import { cumulativeWeights, Random } from '../lib/random';
import { DEMO_INITIALS, demoKk, KkIssuer } from './kk-numbers';
import type { PointSampler } from './points';
import { dailyWeight, dayRange, fromDay, toDay } from './schedule';

export interface RwInfo {
  code: string;
  kelurahan: string;
  kecamatan: string;
  kota: string;
  kelurahanName: string;
  households: number;
  need: number;
  sampler: PointSampler;
}

export interface AggregatorInfo {
  slug: AggregatorSlug;
  homeKota: string[];
  start: string;
}

export interface DatasetTargets {
  from: string;
  to: string;
  lebaran: string;
  packages: Record<AidType, number>;
  rwsReached: number;
  /** Recipient households across the city. */
  households: number;
  dompetDhuafa: { households: number; kecamatan: number; kelurahan: number };
}

/** How intense the programme is; the default is the 2020 KSBB month, larger ones model a year. */
export interface DatasetShape {
  /** Average sembako deliveries per recipient household over the window. */
  sembakoPerHousehold: number;
  /** Multiplies the number of bulk deliveries per institution and community events per RW. */
  bulkRounds: number;
}

export const KSBB_SHAPE: DatasetShape = { sembakoPerHousehold: 1.2, bulkRounds: 1 };

export type DraftRecord = Omit<DistributionRow, 'id' | 'external_id' | 'batch_id'>;

export interface HouseholdRow {
  household_id: number;
  kk_hash: string;
  initials_hash: string;
  rw_code: string;
  lon: number;
  lat: number;
}

/** An institution as stored; the API adds the aid it received. */
export type InstitutionRow = Omit<ApiInstitutionRow, 'packages' | 'records'>;

export interface DistributionRow {
  id: number;
  external_id: string;
  batch_id: string;
  aggregator: AggregatorSlug;
  date: string;
  aid_type: AidType;
  quantity: number;
  recipient_type: RecipientType;
  household_id: number | null;
  institution_id: number | null;
  rw_code: string;
  lon: number;
  lat: number;
  status: RecordStatus;
}

export interface Dataset {
  households: HouseholdRow[];
  institutions: InstitutionRow[];
  distributions: DistributionRow[];
}

const DD: AggregatorSlug = 'dompet-dhuafa';
/** Kepulauan Seribu is served by the province's own boats; aggregators reach it less. */
const SERIBU = '31.01';
const SERIBU_REACH = 0.35;
/** Share of Eid packages that go to households (the rest to orphanages and pesantren). */
const LEBARAN_TO_HOUSEHOLDS = 0.85;
/** Unverified records on top of the calibrated verified ones. */
const PENDING_SHARE = 0.015;
const REJECTED_SHARE = 0.004;
/** Of the waiting records, the share sent by another aggregator than the household's own. */
const SECOND_AGGREGATOR_SHARE = 0.08;
const INSTITUTION_COUNTS: Record<InstitutionType, number> = {
  orphanage: 160,
  pesantren: 110,
  nursing_home: 32,
  disability_home: 28,
};
const INSTITUTION_NAMES: Record<InstitutionType, string> = {
  orphanage: 'Panti Asuhan',
  pesantren: 'Pondok Pesantren',
  nursing_home: 'Panti Werdha',
  disability_home: 'Panti Disabilitas',
};
/** Households that get a public demo KK (see demoKk): the first one of as many aggregators. */
export const DEMO_HOUSEHOLDS = 6;

type Draft = DraftRecord;
/** Days of the Lebaran pause and similar: repeat deliveries move past them. */
const PAUSE_WEIGHT = 0.2;

export function generateDataset(
  rws: readonly RwInfo[],
  aggregators: readonly AggregatorInfo[],
  targets: DatasetTargets,
  seed: number,
  kkKey: string,
  shape: DatasetShape = KSBB_SHAPE,
  /** Receives every record instead of collecting them (for datasets too large to hold). */
  sink?: (record: DraftRecord) => void,
): Dataset {
  const random = new Random(seed);
  const days = dayRange(targets.from, targets.to);
  const aggBySlug = new Map(aggregators.map((a) => [a.slug, a]));
  const agg = (slug: AggregatorSlug) => {
    const a = aggBySlug.get(slug);
    if (!a) throw new Error(`aggregator ${slug} missing`);
    return a;
  };

  // --- Dompet Dhuafa's territory: kecamatan, then kelurahan in them, then RWs in those. ---
  const ddTarget = targets.dompetDhuafa;
  const groupNeed = (key: (r: RwInfo) => string, pool: readonly RwInfo[]) => {
    const m = new Map<string, number>();
    for (const r of pool) m.set(key(r), (m.get(key(r)) ?? 0) + r.need);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  };
  const mainland = rws.filter((r) => r.kota !== SERIBU);
  const kecNeed = groupNeed((r) => r.kecamatan, mainland);
  const ddKec = new Set(
    random
      .sampleWeighted(
        kecNeed.map(([, n]) => n),
        ddTarget.kecamatan,
      )
      .map((i) => kecNeed[i]![0]),
  );
  const kelNeed = groupNeed(
    (r) => r.kelurahan,
    mainland.filter((r) => ddKec.has(r.kecamatan)),
  );
  const ddKel = new Set<string>();
  for (const kec of [...ddKec].sort()) {
    const inKec = kelNeed.filter(([k]) => k.startsWith(`${kec}.`));
    ddKel.add(
      inKec[
        random.sampleWeighted(
          inKec.map(([, n]) => n),
          1,
        )[0]!
      ]![0],
    );
  }
  const restKel = kelNeed.filter(([k]) => !ddKel.has(k));
  random
    .sampleWeighted(
      restKel.map(([, n]) => n),
      ddTarget.kelurahan - ddKel.size,
    )
    .forEach((i) => ddKel.add(restKel[i]![0]));
  const ddRws = new Set<string>();
  for (const kel of [...ddKel].sort()) {
    const inKel = rws.filter((r) => r.kelurahan === kel && r.need > 0);
    const k = Math.min(inKel.length, random.int(1, 3));
    random
      .sampleWeighted(
        inKel.map((r) => r.need),
        k,
      )
      .forEach((i) => ddRws.add(inKel[i]!.code));
  }

  // --- RWs reached: weighted toward need, with noise so some needy RWs stay uncovered. ---
  const candidates = rws.filter((r) => !ddRws.has(r.code));
  const reachWeights = candidates.map(
    (r) => Math.pow(r.need, 0.9) * random.lognormal(0.7) * (r.kota === SERIBU ? SERIBU_REACH : 1),
  );
  const reached = new Set(ddRws);
  random
    .sampleWeighted(reachWeights, targets.rwsReached - ddRws.size)
    .forEach((i) => reached.add(candidates[i]!.code));
  const reachedRws = rws.filter((r) => reached.has(r.code));
  if (reachedRws.length !== targets.rwsReached) throw new Error('not enough RWs with need');

  // --- Aggregators working in each reached RW. ---
  const others = AGGREGATORS.filter((a) => a !== DD);
  const pickOther = (r: RwInfo, exclude: AggregatorSlug[]) => {
    const pool = others.filter((a) => !exclude.includes(a));
    const weights = pool.map((a) => (agg(a).homeKota.includes(r.kota) ? 1 : 0.06));
    return pool[random.weighted(cumulativeWeights(weights))]!;
  };
  const rwAggregators = new Map<string, AggregatorSlug[]>();
  for (const r of reachedRws) {
    if (ddRws.has(r.code)) {
      rwAggregators.set(r.code, random.chance(0.35) ? [DD, pickOther(r, [])] : [DD]);
    } else {
      const first = pickOther(r, []);
      rwAggregators.set(r.code, random.chance(0.15) ? [first, pickOther(r, [first])] : [first]);
    }
  }

  // --- Recipient households per RW and aggregator. Every reached RW has at least one. ---
  const perRwAgg = new Map<string, Map<AggregatorSlug, number>>();
  const ddList = reachedRws.filter((r) => ddRws.has(r.code));
  const ddCounts = apportion(
    ddTarget.households - ddList.length,
    ddList.map((r) => r.need),
    ddList.map((r) => Math.max(0, r.households - 1)),
  ).map((n) => n + 1);
  let ddAreaHouseholds = 0;
  ddList.forEach((r, i) => {
    const d = ddCounts[i]!;
    const aggs = rwAggregators.get(r.code)!;
    const m = new Map<AggregatorSlug, number>([[DD, d]]);
    if (aggs[1]) {
      const extra = Math.min(r.households - d, Math.round(d * (0.3 + 0.7 * random.float())));
      if (extra > 0) m.set(aggs[1], extra);
    }
    perRwAgg.set(r.code, m);
    for (const n of m.values()) ddAreaHouseholds += n;
  });
  const plainList = reachedRws.filter((r) => !ddRws.has(r.code));
  const plainCounts = apportion(
    targets.households - ddAreaHouseholds - plainList.length,
    plainList.map((r) => r.need * random.lognormal(0.5)),
    plainList.map((r) => Math.max(0, r.households - 1)),
  ).map((n) => n + 1);
  plainList.forEach((r, i) => {
    const h = plainCounts[i]!;
    const aggs = rwAggregators.get(r.code)!;
    if (aggs.length === 1) {
      perRwAgg.set(r.code, new Map([[aggs[0]!, h]]));
    } else {
      const first = Math.max(1, Math.round(h * (0.55 + 0.3 * random.float())));
      const m = new Map<AggregatorSlug, number>([[aggs[0]!, first]]);
      if (h - first > 0) m.set(aggs[1]!, h - first);
      perRwAgg.set(r.code, m);
    }
  });

  // --- Households with synthetic KK numbers, stored as keyed hashes only. ---
  const kk = new KkIssuer(random);
  const households: HouseholdRow[] = [];
  const householdAgg: AggregatorSlug[] = [];
  const householdPoint: [number, number][] = [];
  /** Aggregators whose first household got a demo KK. */
  const demoFor = new Set<AggregatorSlug>();
  for (const r of reachedRws) {
    for (const [slug, n] of [...perRwAgg.get(r.code)!.entries()].sort((a, b) =>
      a[0].localeCompare(b[0]),
    )) {
      for (let i = 0; i < n; i++) {
        let number = kk.issue(r.kecamatan);
        let initials = kk.initials();
        if (demoFor.size < DEMO_HOUSEHOLDS && i === 0 && !demoFor.has(slug)) {
          demoFor.add(slug);
          number = demoKk(r.kecamatan, demoFor.size);
          initials = DEMO_INITIALS;
        }
        const [lon, lat] = r.sampler.sample(random);
        households.push({
          household_id: households.length + 1,
          kk_hash: hashKk(number, kkKey),
          initials_hash: hashInitials(number, initials, kkKey),
          rw_code: r.code,
          lon,
          lat,
        });
        householdAgg.push(slug);
        householdPoint.push([lon, lat]);
      }
    }
  }

  // --- Date samplers per aid type and aggregator. ---
  const samplers = new Map<string, { days: string[]; cumulative: Float64Array }>();
  const drawDate = (type: AidType, slug: AggregatorSlug, latest = targets.to) => {
    const key = `${type}|${slug}|${latest}`;
    let s = samplers.get(key);
    if (!s) {
      const window = days.filter((d) => d <= latest);
      s = {
        days: window,
        cumulative: cumulativeWeights(
          window.map((d) => dailyWeight(type, d, targets.lebaran, agg(slug).start)),
        ),
      };
      samplers.set(key, s);
    }
    return s.days[random.weighted(s.cumulative)]!;
  };

  const drafts: Draft[] = [];
  const units: Record<AidType, number> = { sembako: 0, siap_saji: 0, lebaran: 0, thr: 0 };
  let householdRecords = 0;
  const emit = (d: Draft) => {
    if (d.status === 'verified') units[d.aid_type] += d.quantity;
    if (sink) sink(d);
    else drafts.push(d);
    if (d.recipient_type === 'household' && d.status === 'verified') {
      householdRecords++;
      // Verifiers catch a small share of records sent twice.
      if (random.chance(REJECTED_SHARE)) emit({ ...d, status: 'rejected' });
    }
  };
  const householdRecord = (
    h: HouseholdRow,
    type: AidType,
    date: string,
    status: RecordStatus,
  ): Draft => ({
    aggregator: householdAgg[h.household_id - 1]!,
    date,
    aid_type: type,
    quantity: 1,
    recipient_type: 'household',
    household_id: h.household_id,
    institution_id: null,
    rw_code: h.rw_code,
    lon: h.lon,
    lat: h.lat,
    status,
  });

  // Sembako: every household at least once; repeat deliveries spaced evenly through the window,
  // moved past pause days (Lebaran) and dropped when they would fall after its end.
  const windowDays = toDay(targets.to) - toDay(targets.from) + 1;
  const lastDay = toDay(targets.to);
  const paused = (day: number, slug: AggregatorSlug) =>
    dailyWeight('sembako', fromDay(day), targets.lebaran, agg(slug).start) < PAUSE_WEIGHT;
  const base = Math.floor(shape.sembakoPerHousehold);
  const extra = shape.sembakoPerHousehold - base;
  for (const h of households) {
    const slug = householdAgg[h.household_id - 1]!;
    const k = base + (random.chance(extra) ? 1 : 0);
    if (k <= 1) {
      emit(householdRecord(h, 'sembako', drawDate('sembako', slug), 'verified'));
      continue;
    }
    const spacing = Math.max(7, Math.floor(windowDays / k));
    const latestFirst = fromDay(Math.max(toDay(targets.from), lastDay - (k - 1) * spacing));
    let day = toDay(drawDate('sembako', slug, latestFirst));
    for (let i = 0; i < k && day <= lastDay; i++) {
      while (paused(day, slug) && day < lastDay) day++;
      emit(householdRecord(h, 'sembako', fromDay(day), 'verified'));
      day += spacing + random.int(-2, 2);
    }
  }
  const ids = () => random.shuffle(households.map((h) => h.household_id));
  // Eid packages and THR: an exact number of households each, so bulk records can absorb the rest.
  const lebaranHouseholds = Math.round(targets.packages.lebaran * LEBARAN_TO_HOUSEHOLDS);
  for (const id of ids().slice(0, lebaranHouseholds)) {
    const h = households[id - 1]!;
    emit(householdRecord(h, 'lebaran', drawDate('lebaran', householdAgg[id - 1]!), 'verified'));
  }
  for (const id of ids().slice(0, targets.packages.thr)) {
    const h = households[id - 1]!;
    emit(householdRecord(h, 'thr', drawDate('thr', householdAgg[id - 1]!), 'verified'));
  }

  // --- Illustrative institutions, placed in RWs by households (reached or not). ---
  const rwByCode = new Map(rws.map((r) => [r.code, r]));
  const rwCumulative = cumulativeWeights(rws.map((r) => r.households));
  const institutions: InstitutionRow[] = [];
  for (const type of INSTITUTION_TYPES) {
    for (let i = 0; i < INSTITUTION_COUNTS[type]; i++) {
      const r = rws[random.weighted(rwCumulative)]!;
      const [lon, lat] = r.sampler.sample(random);
      institutions.push({
        institution_id: institutions.length + 1,
        type,
        name: `${INSTITUTION_NAMES[type]} ${r.kelurahanName} ${String(i + 1).padStart(3, '0')}`,
        rw_code: r.code,
        lon,
        lat,
        illustrative: true,
      });
    }
  }

  // --- Bulk deliveries to institutions and communities in reached RWs. ---
  interface BulkSlot {
    type: AidType;
    recipient: RecipientType;
    institution: InstitutionRow | null;
    rw: RwInfo;
    weight: number;
  }
  const slots: BulkSlot[] = [];
  const servedInstitutions = institutions.filter((i) => reached.has(i.rw_code));
  for (const inst of servedInstitutions) {
    const rw = rwByCode.get(inst.rw_code)!;
    const scale = inst.type === 'pesantren' ? 2 : 1;
    for (let k = random.int(shape.bulkRounds, 3 * shape.bulkRounds); k > 0; k--)
      slots.push({
        type: 'sembako',
        recipient: inst.type,
        institution: inst,
        rw,
        weight: scale * random.lognormal(0.4),
      });
    for (let k = random.int(shape.bulkRounds, 4 * shape.bulkRounds); k > 0; k--)
      slots.push({
        type: 'siap_saji',
        recipient: inst.type,
        institution: inst,
        rw,
        weight: scale * random.lognormal(0.4),
      });
    if (inst.type === 'orphanage' || inst.type === 'pesantren')
      slots.push({
        type: 'lebaran',
        recipient: inst.type,
        institution: inst,
        rw,
        weight: scale * random.lognormal(0.3),
      });
  }
  for (const rw of reachedRws) {
    // Iftar meals and community kitchens: several events per reached RW through Ramadan.
    for (let k = random.int(shape.bulkRounds, 6 * shape.bulkRounds); k > 0; k--)
      slots.push({
        type: 'siap_saji',
        recipient: 'community',
        institution: null,
        rw,
        weight: 3 * random.lognormal(0.5),
      });
    for (let k = shape.bulkRounds; k > 0; k--) {
      if (!random.chance(0.35)) continue;
      slots.push({
        type: 'sembako',
        recipient: 'community',
        institution: null,
        rw,
        weight: 4 * random.lognormal(0.5),
      });
    }
  }
  for (const type of AID_TYPES) {
    const typeSlots = slots.filter((s) => s.type === type);
    const rest = targets.packages[type] - units[type];
    if (rest < typeSlots.length) {
      throw new Error(`${type}: ${rest} units left for ${typeSlots.length} bulk deliveries`);
    }
    const quantities = apportion(
      rest - typeSlots.length,
      typeSlots.map((s) => s.weight),
    ).map((q) => q + 1);
    typeSlots.forEach((s, i) => {
      const aggs = rwAggregators.get(s.rw.code)!;
      const slug = aggs[random.int(0, aggs.length - 1)]!;
      const [lon, lat] = s.institution
        ? [s.institution.lon, s.institution.lat]
        : s.rw.sampler.sample(random);
      emit({
        aggregator: slug,
        date: drawDate(type, slug),
        aid_type: type,
        quantity: quantities[i]!,
        recipient_type: s.recipient,
        household_id: null,
        institution_id: s.institution?.institution_id ?? null,
        rw_code: s.rw.code,
        lon,
        lat,
        status: 'verified',
      });
    });
  }

  // --- Records still waiting for verification in the last days of the window. Some come from a
  // second aggregator for a household another one already serves: the verifiers' duplicate flags.
  const recent = days.slice(-5);
  for (const id of ids().slice(0, Math.round(householdRecords * PENDING_SHARE))) {
    const draft = householdRecord(households[id - 1]!, 'sembako', random.pick(recent), 'submitted');
    if (random.chance(SECOND_AGGREGATOR_SHARE)) {
      draft.aggregator = random.pick(AGGREGATORS.filter((a) => a !== draft.aggregator));
    }
    emit(draft);
  }

  if (sink) return { households, institutions, distributions: [] };

  // --- Stable order and identifiers: records arrive in daily batches per aggregator. ---
  const order = drafts.map((d, i) => ({ d, i }));
  order.sort(
    (a, b) =>
      a.d.date.localeCompare(b.d.date) || a.d.aggregator.localeCompare(b.d.aggregator) || a.i - b.i,
  );
  const seq = new Map<AggregatorSlug, number>();
  const distributions = order.map(({ d }, i): DistributionRow => {
    const n = (seq.get(d.aggregator) ?? 0) + 1;
    seq.set(d.aggregator, n);
    return {
      id: i + 1,
      external_id: `${d.aggregator}-${String(n).padStart(7, '0')}`,
      batch_id: `seed-${d.aggregator}-${d.date}`,
      ...d,
    };
  });

  return { households, institutions, distributions };
}
