import type { AidType, Level, RecipientType } from './domain';

export interface Label {
  id: string;
  en: string;
}

export const AID_TYPE_LABELS: Record<AidType, Label> = {
  sembako: { id: 'Sembako', en: 'Staple-food package' },
  siap_saji: { id: 'Makanan siap saji', en: 'Ready-to-eat meal' },
  lebaran: { id: 'Paket Lebaran', en: 'Eid package' },
  thr: { id: 'Paket THR', en: 'Holiday allowance package' },
};

export const RECIPIENT_TYPE_LABELS: Record<RecipientType, Label> = {
  household: { id: 'Rumah tangga', en: 'Household' },
  orphanage: { id: 'Panti asuhan / yayasan yatim piatu', en: 'Orphanage' },
  pesantren: { id: 'Pesantren', en: 'Islamic boarding school' },
  nursing_home: { id: 'Panti jompo', en: 'Nursing home' },
  disability_home: { id: 'Panti disabilitas', en: 'Disability home' },
  community: { id: 'Komunitas terdampak', en: 'Affected community' },
};

export const LEVEL_LABELS: Record<Level, Label> = {
  kota: { id: 'Kota/Kabupaten', en: 'City/Regency' },
  kecamatan: { id: 'Kecamatan', en: 'District' },
  kelurahan: { id: 'Kelurahan', en: 'Village' },
  rw: { id: 'RW', en: 'Neighbourhood (RW)' },
};

/** Where each dataset comes from (mirrors data/SOURCES.md and geojson/ATTRIBUTION.md). */
export const SOURCES = [
  {
    id: 'boundaries',
    what: { id: 'Batas kota, kecamatan, kelurahan', en: 'City, district and village boundaries' },
    source: 'github cahyadsn/wilayah_boundaries (Kepmendagri codes)',
    licence: 'MIT, © 2024 Cahya DSN',
    modelled: false,
  },
  {
    id: 'rw',
    what: {
      id: 'Batas RW (2014–2015) dan daftar RT 2012',
      en: 'RW boundaries (2014–2015) and 2012 RT list',
    },
    source: 'kartoza/jakarta-flood-maps, geometry from OpenStreetMap',
    licence: 'ODbL, © OpenStreetMap contributors',
    modelled: false,
  },
  {
    id: 'rw-seribu',
    what: { id: 'RW Kepulauan Seribu (dimodelkan)', en: 'Kepulauan Seribu RWs (modelled)' },
    source: 'equal-area partition of the kelurahan polygons',
    licence: 'MIT',
    modelled: true,
  },
  {
    id: 'population',
    what: {
      id: 'Penduduk, KK, pendidikan, pekerjaan per kelurahan',
      en: 'Residents, households, education, occupation per village',
    },
    source: 'Dukcapil DKI Jakarta, June 2019',
    licence: 'government statistics',
    modelled: false,
  },
  {
    id: 'need',
    what: { id: 'Kebutuhan: rumah tangga rentan', en: 'Need: vulnerable households' },
    source:
      'index of education and occupation shares, scaled to 1.2 million (Dinas Sosial DKI Jakarta, April 2020)',
    licence: 'MIT',
    modelled: true,
  },
  {
    id: 'covid',
    what: { id: 'Kasus COVID-19 per kelurahan per hari', en: 'COVID-19 cases per village per day' },
    source: "Jakarta's official kelurahan recap via emsifa/jakarta-covid-19-heatmap",
    licence: 'government statistics',
    modelled: false,
  },
  {
    id: 'distributions',
    what: {
      id: 'Rumah tangga, lembaga dan catatan distribusi',
      en: 'Households, institutions and distribution records',
    },
    source:
      'synthetic, seeded, calibrated to the published KSBB figures; institutions are illustrative',
    licence: 'MIT',
    modelled: true,
  },
] as const;
