/**
 * Published KSBB figures, 24 April – 27 May 2020 (DESIGN section 1). The default dataset is
 * generated so that the API's own queries return exactly these numbers for verified records.
 */
export const KSBB = {
  from: '2020-04-24',
  to: '2020-05-27',
  lebaran: '2020-05-24',
  packages: { sembako: 375_745, siap_saji: 154_411, lebaran: 28_618, thr: 2_344 },
  packagesTotal: 561_118,
  rwsReached: 2_000,
  dompetDhuafa: { households: 5_954, kecamatan: 32, kelurahan: 69 },
} as const;
