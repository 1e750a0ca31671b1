/**
 * Load time, heap and throughput of the point locator: `npx tsx api/geo/measure.ts`.
 * Not a test: timings depend on the machine. Points are uniform in mainland Jakarta's bounding
 * box (Kepulauan Seribu, kota 31.01, left out: its box is almost all sea) from a fixed seed.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bbox, featureCollection } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { Locator } from './locate';

const POINTS = 100_000;
const ROUNDS = 5;
const SEED = 20_200_401;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** mulberry32: a fixed seed gives the same points on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const before = heapMb();
const t0 = performance.now();
const locator = Locator.fromFiles();
const loadMs = performance.now() - t0;
const heldMb = heapMb() - before;

// The mainland box, from the kelurahan polygons themselves.
const kelurahan = JSON.parse(
  readFileSync(new URL('../../geojson/kelurahan.geojson', import.meta.url), 'utf8'),
) as FeatureCollection<Polygon | MultiPolygon, { kota_code: string }>;
const [minX, minY, maxX, maxY] = bbox(
  featureCollection(kelurahan.features.filter((f) => f.properties.kota_code !== '31.01')),
);

const next = random(SEED);
const lons = Float64Array.from({ length: POINTS }, () => minX + next() * (maxX - minX));
const lats = Float64Array.from({ length: POINTS }, () => minY + next() * (maxY - minY));

const counts = { rw: 0, kelurahan_only: 0, outside: 0 };
for (let i = 0; i < POINTS; i++) {
  const hit = locator.locate(lons[i]!, lats[i]!);
  counts[hit ? hit.kind : 'outside']++;
}

// Wall time, and this thread's CPU time, which a busy machine disturbs less.
const rates: number[] = [];
const cpuRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < POINTS; i++) locator.locate(lons[i]!, lats[i]!);
  const { user, system } = process.cpuUsage(cpu);
  rates.push(POINTS / ((performance.now() - start) / 1000));
  cpuRates.push(POINTS / ((user + system) / 1e6));
}
rates.sort((a, b) => a - b);
cpuRates.sort((a, b) => a - b);

const fmt = (x: number) => Math.round(x).toLocaleString('en');
console.log(`load (read + parse + index): ${loadMs.toFixed(0)} ms`);
console.log(`heap held by the locator: ${heldMb.toFixed(1)} MB`);
console.log(
  `box ${[minX, minY, maxX, maxY].map((x) => x.toFixed(4)).join(', ')}: ` +
    `${fmt(counts.rw)} in an RW, ${fmt(counts.kelurahan_only)} kelurahan only, ` +
    `${fmt(counts.outside)} outside of ${fmt(POINTS)}`,
);
const summary = (r: number[]) =>
  `median ${fmt(r[ROUNDS >> 1]!)} points/s (min ${fmt(r[0]!)}, max ${fmt(r[ROUNDS - 1]!)})`;
console.log(`throughput, one core, ${ROUNDS} rounds of ${fmt(POINTS)} points:`);
console.log(`  per wall second: ${summary(rates)}`);
console.log(`  per CPU second:  ${summary(cpuRates)}`);
console.log(
  `load average: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')} on ${cpus().length} cores`,
);
